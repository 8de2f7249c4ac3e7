using JobQueue.Grains;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Execution;

/// <summary>A cluster whose leases last two seconds, so a runner that stops touching loses its job quickly.</summary>
public sealed class ShortLeaseClusterFixture : QueueClusterFixture
{
    protected override TimeProvider Clock => TimeProvider.System;

    protected override void ConfigureQueue(JobQueueOptions options)
    {
        options.TimeToRelease = TimeSpan.FromSeconds(2);
    }
}
