using System.Net.Sockets;
using JobQueue.Home;
using JobQueue.Silo.Hosting;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Cli;

/// <summary>
/// Processes that host a manager restart themselves once with a small gen0 budget (ManagerGc): the manager keeps its
/// pid, and neither runners nor commands inherit the setting.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ManagerGcTests : IAsyncDisposable
{
    private const string Budget = "DOTNET_GCgen0size";
    private readonly CliHome _home = new("gc");

    public ValueTask DisposeAsync() => _home.DisposeAsync();

    [Fact]
    public async Task A_started_manager_runs_with_the_budget_under_the_pid_it_reported()
    {
        var started = await _home.Cli.RunAsync("manager", "start", "--scheduler", "none");

        Assert.True(started.ExitCode == 0, started.ToString());
        var info = ManagerInfo.Read(_home.Path)!;
        Assert.Contains($"pid {info.Pid}", started.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{Budget}={ManagerGc.Gen0Budget}", InitialEnvironment(info.Pid));
        var status = await _home.Cli.RunAsync("manager", "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains($"pid {info.Pid}", status.Stdout, StringComparison.Ordinal);

        // dotnet-counters, -trace and -dump still attach: the replaced runtime listens on the process's diagnostics socket.
        var socketPath = Assert.Single(Directory.GetFiles(Path.GetTempPath(), $"dotnet-diagnostic-{info.Pid}-*-socket"));
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), TestContext.Current.CancellationToken);
        Assert.True(socket.Connected);
    }

    [Fact]
    public async Task Commands_run_by_jobqueue_run_do_not_inherit_the_manager_s_budget()
    {
        var output = Path.Combine(_home.Path, "env.txt");
        var file = Path.Combine(_home.Path, "env.jobs");
        await File.WriteAllTextAsync(file, $"env > {output}\n", TestContext.Current.CancellationToken);

        var run = await _home.Cli.RunAsync("run", file);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(run.Stdout.Split('\n'), l => l.StartsWith("added 1, existed 0", StringComparison.Ordinal));
        var environment = await File.ReadAllLinesAsync(output, TestContext.Current.CancellationToken);
        Assert.Contains(environment, l => l.StartsWith("JOBQUEUE_HOME=", StringComparison.Ordinal));
        Assert.DoesNotContain(environment, l => l.StartsWith(Budget + "=", StringComparison.Ordinal) || l.StartsWith("JOBQUEUE_GC_", StringComparison.Ordinal));
    }

    private static string[] InitialEnvironment(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries);
}
