using Microsoft.Extensions.Logging;

namespace JobQueue.Grains.Adding;

public sealed partial class JobAdderGrain
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce new jobs to queue {Queue}")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception exception, string queue);
}
