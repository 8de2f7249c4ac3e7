using JobQueue.Grains;
using JobQueue.Grains.Hosting;
using JobQueue.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace JobQueue.Tests.Infrastructure;

/// <summary>
/// A real one-silo Orleans test cluster on a real SQLite store in a temporary directory, whose grains run on a
/// <see cref="FakeTimeProvider"/> (Orleans' own background loops stay on real time).
/// </summary>
public class QueueClusterFixture : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("cluster");

    /// <summary>The fake clock; the grains and clients run on it unless a subclass picks real time.</summary>
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>The clock of the grains and of the clients made here.</summary>
    protected virtual TimeProvider Clock => Time;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>A client on the fake clock.</summary>
    public JobQueueClient Client { get; private set; } = null!;

    /// <summary>The database file.</summary>
    public string DbFile => Path.Combine(_directory.Path, "jobqueue.db");

    /// <summary>A scratch directory for the tests of this fixture.</summary>
    public string Scratch => _directory.Path;

    /// <summary>A further client: a different identity for the lease checks.</summary>
    public JobQueueClient NewClient() => new(Cluster.Client, Clock);

    public virtual async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        var store = new JobStoreOptions { DbFile = DbFile };
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(Clock);
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            silo.AddJobQueue(store, ConfigureQueue);
            ConfigureSilo(silo);
        });
        builder.ConfigureClient(client => client.AddJobQueueClient());
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Client = NewClient();
    }

    public virtual async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        _directory.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Adds to the silo for this fixture (the silo runs in this process: singletons may be shared with the tests).</summary>
    protected virtual void ConfigureSilo(ISiloBuilder silo)
    {
    }

    /// <summary>Adjusts the queue's options for this fixture.</summary>
    protected virtual void ConfigureQueue(JobQueueOptions options)
    {
    }
}
