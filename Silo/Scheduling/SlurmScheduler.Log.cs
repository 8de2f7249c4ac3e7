using Microsoft.Extensions.Logging;

namespace JobQueue.Silo.Scheduling;

public sealed partial class SlurmScheduler
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Slurm scheduler: up to {MaxRunners} runner jobs, each running: {RunnerCmd}")]
    private static partial void LogStarted(ILogger logger, int maxRunners, string runnerCmd);

    [LoggerMessage(Level = LogLevel.Information, Message = "Submitted Slurm job {JobId} for {Queue}")]
    private static partial void LogSubmitted(ILogger logger, string jobId, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slurm: {Message}")]
    private static partial void LogSlurmFailedCore(ILogger logger, Exception exception, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Burying job {JobKey} of {Queue}: it needs more than the largest machine of the cluster (Slurm here: {RamMb} MB, {Cores} cores)")]
    private static partial void LogBurying(ILogger logger, string jobKey, string queue, int ramMb, int cores);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: cancelled pending and stopped running runner jobs ({Count})")]
    private static partial void LogStopped(ILogger logger, int count);

    private static void LogSlurmFailed(ILogger logger, Exception exception) => LogSlurmFailedCore(logger, exception, exception.Message);
}
