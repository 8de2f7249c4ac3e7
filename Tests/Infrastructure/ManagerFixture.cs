namespace JobQueue.Tests.Infrastructure;

/// <summary>One real manager process (scheduler "none") shared by a test class, with a connected client.</summary>
public sealed class ManagerFixture : IAsyncLifetime
{
    private readonly TempDirectory _home = new("manager");

    public ManagerProcess Manager { get; private set; } = null!;

    public JobQueueClient Client { get; private set; } = null!;

    /// <summary>The environment a runner needs to find this manager's cluster.</summary>
    public IReadOnlyDictionary<string, string> RunnerEnvironment => new Dictionary<string, string>
    {
        ["JOBQUEUE_CLUSTER_ID"] = Manager.Info.ClusterId,
        ["JOBQUEUE_SERVICE_ID"] = Manager.Info.ServiceId,
    };

    public async ValueTask InitializeAsync()
    {
        Manager = await ManagerProcess.StartAsync(_home.Path);
        Client = await Manager.ConnectAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Manager.DisposeAsync();
        _home.Dispose();
    }
}
