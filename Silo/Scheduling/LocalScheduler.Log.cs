using Microsoft.Extensions.Logging;

namespace JobQueue.Silo.Scheduling;

public sealed partial class LocalScheduler
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Local scheduler: up to {MaxCores} cores and {MaxRamMb} MB for runners started with: {RunnerCmd}")]
    private static partial void LogStarted(ILogger logger, int maxCores, int maxRamMb, string runnerCmd);

    [LoggerMessage(Level = LogLevel.Information, Message = "Started runner {Pid} for {Queue}")]
    private static partial void LogSpawned(ILogger logger, int pid, string queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Runner {Pid} for {Queue} exited with {ExitCode}")]
    private static partial void LogRunnerExited(ILogger logger, int pid, string queue, int exitCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "runner {Pid}: {Line}")]
    private static partial void LogRunnerOutput(ILogger logger, int pid, string line);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot start runners with: {Command}")]
    private static partial void LogSpawnFailed(ILogger logger, Exception exception, string command);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Burying job {JobKey}: group {Queue} needs more than this machine's {MaxCores} cores / {MaxRamMb} MB")]
    private static partial void LogBurying(ILogger logger, string jobKey, string queue, int maxCores, int maxRamMb);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained: no runner and no job left running; stopping the manager")]
    private static partial void LogDrained(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping {Count} runners; their jobs are released")]
    private static partial void LogStoppingRunners(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A scheduling round failed")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
