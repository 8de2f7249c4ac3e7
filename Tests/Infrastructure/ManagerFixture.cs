namespace JobQueue.Tests.Infrastructure;

/// <summary>One real manager process (scheduler "none") shared by a test class, with a connected client.</summary>
public sealed class ManagerFixture : IAsyncLifetime
{
    private readonly TempDirectory _home = new("manager");

    public ManagerProcess Manager { get; private set; } = null!;

    public JobQueueClient Client { get; private set; } = null!;

    /// <summary>The environment a runner needs to find this manager's cluster and certificate.</summary>
    public IReadOnlyDictionary<string, string> RunnerEnvironment => Manager.RunnerEnvironment;

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
