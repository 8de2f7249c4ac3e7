using JobQueue.Home;

namespace JobQueue.Tests.Infrastructure;

/// <summary>A temporary home with the built command line on it; disposing stops its manager, if one runs, then removes the home.</summary>
public sealed class CliHome : IAsyncDisposable
{
    private readonly TempDirectory _home;

    public CliHome(string name)
    {
        _home = new TempDirectory(name);
        Cli = new CliRunner(_home.Path);
    }

    /// <summary>The home directory.</summary>
    public string Path => _home.Path;

    /// <summary>The command line, run with this home.</summary>
    public CliRunner Cli { get; }

    public async ValueTask DisposeAsync()
    {
        if (ManagerInfo.Read(_home.Path) is { } info)
        {
            await Cli.RunAsync("manager", "stop");
            await Eventually.True(() => !Sessions.IsAlive(info.Pid), TimeSpan.FromSeconds(60), "the manager to stop");
        }

        _home.Dispose();
    }
}
