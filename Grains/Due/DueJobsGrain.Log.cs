using Microsoft.Extensions.Logging;

namespace JobQueue.Grains.Due;

public sealed partial class DueJobsGrain
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not register the due-jobs reminder")]
    private static partial void LogReminderFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping due jobs failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waking due job {JobKey} failed")]
    private static partial void LogWakeFailed(ILogger logger, Exception exception, string jobKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Forgot {Count} scheduler groups without ready jobs")]
    private static partial void LogQueuesPruned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not forget the scheduler groups without ready jobs")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
