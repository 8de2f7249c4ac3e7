using Microsoft.Extensions.Logging;

namespace JobQueue.Grains.Storage;

public sealed partial class StoreWriter
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} writes failed; retrying them one by one")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} writes failed for a passing reason; trying it again in {Milliseconds:F0} ms")]
    private static partial void LogTransientFailure(ILogger logger, Exception exception, int count, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} writes took {Milliseconds:F0} ms to commit; is the database locked or the disk slow?")]
    private static partial void LogSlowBatch(ILogger logger, int count, double milliseconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The group-commit loop hit an unexpected error; its batch failed")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A {WriteKind} write failed")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string writeKind);
}
