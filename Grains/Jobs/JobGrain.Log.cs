using Microsoft.Extensions.Logging;

namespace JobQueue.Grains.Jobs;

public sealed partial class JobGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Lease {ReservedBy} on job {JobKey} expired; the job is ready again")]
    private static partial void LogLeaseExpired(ILogger logger, string jobKey, string? reservedBy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell queue {Queue} that job {JobKey} is ready")]
    private static partial void LogQueueNotifyFailed(ILogger logger, Exception exception, string jobKey, string queue);
}
