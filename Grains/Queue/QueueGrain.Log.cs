using Microsoft.Extensions.Logging;

namespace JobQueue.Grains.Queue;

public sealed partial class QueueGrain
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Reserving job {JobKey} from queue {Queue} failed")]
    private static partial void LogReserveFailed(ILogger logger, Exception exception, string jobKey, string queue);
}
