using JobQueue.Grains;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.Queue;

/// <summary>A test cluster whose due sweep reads two pages of two jobs at a time, and some of whose jobs cannot be woken.</summary>
public sealed class DueSweepClusterFixture : QueueClusterFixture
{
    public StuckWakes Faults { get; } = new();

    protected override void ConfigureSilo(ISiloBuilder silo)
    {
        silo.Services.AddSingleton<IIncomingGrainCallFilter>(Faults);
    }

    protected override void ConfigureQueue(JobQueueOptions options)
    {
        options.DueSweepPageSize = 2;
        options.DueSweepPages = 2;
    }
}
