using Microsoft.Extensions.Logging;

namespace JobQueue.Grains.Queries;

public sealed partial class JobActionGrain
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell queue {Queue} that jobs made ready in bulk (the first {JobKey}) are ready; it finds them in the store")]
    private static partial void LogQueueNotifyFailed(ILogger logger, Exception exception, string jobKey, string queue);
}
