using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.Queue;

/// <summary>A test cluster whose reserve answers can be lost on demand.</summary>
public sealed class LostAnswerClusterFixture : QueueClusterFixture
{
    public LostAnswers Faults { get; } = new();

    protected override void ConfigureSilo(ISiloBuilder silo)
    {
        silo.Services.AddSingleton<IIncomingGrainCallFilter>(Faults);
    }
}
