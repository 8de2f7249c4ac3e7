using Microsoft.Extensions.Logging;

namespace JobQueue.Grains.Hosting;

public sealed partial class JobQueueSiloService
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Note}")]
    private static partial void LogDatabasePrepared(ILogger logger, string note);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job store opened ({Provider})")]
    private static partial void LogStoreOpened(ILogger logger, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backed the database up to {Path}")]
    private static partial void LogBackedUp(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Backing the database up failed")]
    private static partial void LogBackupFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the manager's mode")]
    private static partial void LogMonitorFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutdown requested; stopping this manager")]
    private static partial void LogShutdownRequested(ILogger logger);
}
