using JobQueue.Grains;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

/// <summary>A test cluster that forgets scheduler groups without ready jobs every second of its fake clock.</summary>
public sealed class QueuePruneClusterFixture : QueueClusterFixture
{
    protected override void ConfigureQueue(JobQueueOptions options) => options.QueuePruneInterval = TimeSpan.FromSeconds(1);
}
