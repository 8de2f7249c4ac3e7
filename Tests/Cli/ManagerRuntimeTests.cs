using System.Net.Sockets;
using JobQueue.Home;
using JobQueue.Silo.Hosting;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Cli;

/// <summary>
/// Processes that host a manager restart themselves once with their runtime settings (ManagerRuntime): a small gen0
/// budget, the server garbage collector, and for <c>jobqueue run</c> no dynamic PGO. The manager keeps its pid, and
/// neither runners nor commands inherit the settings.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ManagerRuntimeTests : IAsyncDisposable
{
    private readonly CliHome _home = new("runtime");

    public ValueTask DisposeAsync() => _home.DisposeAsync();

    [Fact]
    public async Task A_started_manager_runs_with_the_budget_under_the_pid_it_reported()
    {
        var started = await _home.Cli.RunAsync("manager", "start", "--scheduler", "none");

        Assert.True(started.ExitCode == 0, started.ToString());
        var info = ManagerInfo.Read(_home.Path)!;
        Assert.Contains($"pid {info.Pid}", started.Stdout, StringComparison.Ordinal);
        var environment = InitialEnvironment(info.Pid);
        Assert.Contains($"{ManagerRuntime.Gen0Variable}={ManagerRuntime.Gen0Budget}", environment);
        Assert.Contains($"{ManagerRuntime.ServerGcVariable}=1", environment);

        // A long-lived manager keeps dynamic PGO: there it pays for its compiling.
        Assert.DoesNotContain(environment, l => l.StartsWith(ManagerRuntime.PgoVariable + "=", StringComparison.Ordinal));
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
    public async Task Jobqueue_run_hosts_its_manager_without_dynamic_pgo_and_its_runners_and_commands_inherit_neither_setting()
    {
        var output = Path.Combine(_home.Path, "env.txt");
        var runnerOutput = Path.Combine(_home.Path, "runner-env.txt");
        var managerOutput = Path.Combine(_home.Path, "manager-env.txt");
        var file = Path.Combine(_home.Path, "env.jobs");

        // The command's parent is its runner; the runner's parent is the process of jobqueue run, which hosts the manager.
        await File.WriteAllTextAsync(
            file,
            $"env > {output}; tr '\\0' '\\n' < /proc/$PPID/environ > {runnerOutput}; tr '\\0' '\\n' < /proc/$(awk '{{print $4}}' /proc/$PPID/stat)/environ > {managerOutput}\n",
            TestContext.Current.CancellationToken);

        var run = await _home.Cli.RunAsync("run", file);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(run.Stdout.Split('\n'), l => l.StartsWith("added 1, existed 0", StringComparison.Ordinal));
        var manager = await File.ReadAllLinesAsync(managerOutput, TestContext.Current.CancellationToken);
        Assert.Contains($"{ManagerRuntime.Gen0Variable}={ManagerRuntime.Gen0Budget}", manager);
        Assert.Contains($"{ManagerRuntime.PgoVariable}=0", manager);
        Assert.Contains($"{ManagerRuntime.ServerGcVariable}=1", manager);
        foreach (var inherited in new[] { output, runnerOutput })
        {
            var environment = await File.ReadAllLinesAsync(inherited, TestContext.Current.CancellationToken);
            Assert.Contains(environment, l => l.StartsWith("JOBQUEUE_HOME=", StringComparison.Ordinal));
            Assert.DoesNotContain(environment, l => l.StartsWith(ManagerRuntime.Gen0Variable + "=", StringComparison.Ordinal)
                || l.StartsWith(ManagerRuntime.PgoVariable + "=", StringComparison.Ordinal)
                || l.StartsWith(ManagerRuntime.ServerGcVariable + "=", StringComparison.Ordinal)
                || l.StartsWith("JOBQUEUE_RUNTIME_", StringComparison.Ordinal));
        }
    }

    private static string[] InitialEnvironment(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries);
}
