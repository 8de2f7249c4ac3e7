using JobQueue.Grains;

namespace JobQueue.Tests.Infrastructure;

/// <summary>The test cluster on real time, for running real commands; failed jobs wait only briefly before a retry.</summary>
public sealed class RealTimeClusterFixture : QueueClusterFixture
{
    protected override TimeProvider Clock => TimeProvider.System;

    protected override void ConfigureQueue(JobQueueOptions options)
    {
        options.ReleaseDelay = TimeSpan.FromMilliseconds(200);
    }
}
