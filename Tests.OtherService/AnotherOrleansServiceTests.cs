using System.Diagnostics;
using System.Net;
using JobQueue.Client;
using JobQueue.Grains;
using JobQueue.Home;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Xunit;

namespace JobQueue.Tests.OtherService;

/// <summary>
/// An Orleans service of someone else's: its own host and <see cref="IClusterClient"/>, built with the contracts and the
/// client library only, adds jobs through <c>AddJobQueueClient</c> and reads them back from a running manager.
/// </summary>
public sealed class AnotherOrleansServiceTests : IAsyncLifetime
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), $"jobqueue-test-other-{Guid.NewGuid():N}");
    private Process? _manager;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_home);
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ManagerDll());
        start.Environment["JOBQUEUE_HOME"] = _home;
        start.Environment["JOBQUEUE__Manager__Scheduler"] = "none";
        _manager = Process.Start(start)!;
        _manager.BeginOutputReadLine();
        _manager.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (ManagerInfo.Read(_home) is null)
        {
            Assert.False(_manager.HasExited, "the manager exited while starting");
            Assert.True(DateTime.UtcNow < deadline, "the manager did not start within 60 s");
            await poll.WaitForNextTickAsync(Ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_manager is { HasExited: false })
        {
            _manager.Kill(entireProcessTree: true);
            await _manager.WaitForExitAsync();
        }

        _manager?.Dispose();
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task A_service_with_its_own_cluster_client_adds_jobs_and_reads_their_state()
    {
        var manager = ManagerInfo.Read(_home)!;
        using var credentials = ClusterCredentials.Load(_home);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(new IPEndPoint(IPAddress.Parse(manager.Host), manager.Port));
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (manager.ClusterId, manager.ServiceId));
            client.AddJobQueueClient();
            client.UseJobQueueTls(credentials);
        });
        using var host = builder.Build();
        await host.StartAsync(Ct);

        var jobs = host.Services.GetRequiredService<JobQueueClient>();
        var added = await jobs.AddAsync([new JobSpec { Cmd = "echo from elsewhere", Cwd = "/tmp", RepGroup = "other-service" }], Ct);
        Assert.Equal(new AddResult(1, 0), added);

        // The same state through the service's own cluster client and the grain contracts.
        var cluster = host.Services.GetRequiredService<IClusterClient>();
        var found = await cluster.GetGrain<IJobQueryGrain>(0).GetByKeys([JobKey.For("/tmp", "echo from elsewhere")], false, false);
        Assert.Equal(JobState.Ready, Assert.Single(found).State);
        Assert.Equal(1, Assert.Single(await jobs.GetRepGroupCountsAsync("other-service", Ct)).Ready);

        await host.StopAsync(Ct);
    }

    [Fact]
    public void Such_a_service_carries_nothing_of_the_manager()
    {
        var deps = Path.Combine(AppContext.BaseDirectory, "JobQueue.Tests.OtherService.deps.json");
        var libraries = DependencyClosure.Libraries(deps);

        Assert.Contains(libraries, l => l.StartsWith("JobQueue.Client/", StringComparison.Ordinal));
        Assert.Empty(DependencyClosure.ManagerOnly(libraries));
    }

    [Fact]
    public void The_runner_carries_nothing_of_the_manager_either()
    {
        var libraries = DependencyClosure.Libraries(BuiltFile("Runner", "jobqueue-runner.deps.json"));

        Assert.Contains(libraries, l => l.StartsWith("JobQueue.Client/", StringComparison.Ordinal));
        Assert.Empty(DependencyClosure.ManagerOnly(libraries));
    }

    private static string ManagerDll() => BuiltFile("Silo", "jobqueue-manager.dll");

    private static string BuiltFile(string project, string file)
    {
        // The solution build puts each program in its project's output; this project does not (and must not) reference them.
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = dir.Parent!.Name;
        for (; dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, project, "bin", configuration, "net10.0", file);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException($"{file} was not built: build JobQueue.sln first (./test.sh does)");
    }
}
