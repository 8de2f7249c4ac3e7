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

    [LoggerMessage(Level = LogLevel.Critical, Message = "The database {DbFile} is corrupt ({Problem}); stop the manager and start it again: the start restores the backup {Backup}. No backup is taken until then")]
    private static partial void LogCorruptInUse(ILogger logger, string dbFile, string problem, string backup);

    [LoggerMessage(Level = LogLevel.Information, Message = "The full check of {DbFile}, made while serving, found nothing wrong")]
    private static partial void LogDeepCheckPassed(ILogger logger, string dbFile);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The full check of {DbFile} could not run")]
    private static partial void LogDeepCheckFailed(ILogger logger, Exception exception, string dbFile);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No backup of {DbFile}: it was found corrupt; the next start restores the last good backup")]
    private static partial void LogBackupSkipped(ILogger logger, string dbFile);
}
