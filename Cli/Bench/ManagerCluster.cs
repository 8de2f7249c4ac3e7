using System.Diagnostics;
using System.Globalization;
using JobQueue.Grains.Storage;
using JobQueue.Home;

namespace JobQueue.Cli.Bench;

/// <summary>Manager processes (jobqueue-manager, next to this program) forming one cluster on a PostgreSQL database, for the cluster benchmarks.</summary>
internal sealed class ManagerCluster : IAsyncDisposable
{
    private readonly List<(Process Process, string Home, ManagerInfo Info)> _managers = [];
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"jobqueue-bench-cluster-{Guid.NewGuid():N}");

    public IReadOnlyList<ManagerInfo> Managers => [.. _managers.Select(m => m.Info)];

    /// <summary>Starts <paramref name="count"/> managers on <paramref name="connection"/> (its job tables are wiped by the first).</summary>
    public static async Task<ManagerCluster> StartAsync(string connection, int count, CancellationToken cancellationToken)
    {
        var cluster = new ManagerCluster();
        var clusterId = $"bench{Guid.NewGuid():N}"[..16];
        for (var i = 0; i < count; i++)
        {
            var home = Path.Combine(cluster._root, $"manager{i}");
            PrivateFiles.EnsureDirectory(home);
            if (i > 0)
            {
                ClusterCredentials.ShareAuthority(cluster._managers[0].Home, home);
            }

            var settings = new Dictionary<string, string?>
            {
                ["Manager:Scheduler"] = "none",
                ["Manager:ClusterId"] = clusterId,
                ["Manager:LogToConsole"] = "false",
                ["Manager:Deployment"] = i == 0 ? Deployments.Development : Deployments.Production,
                ["Storage:Provider"] = "postgres",
                ["Storage:ConnectionString"] = connection,
            };
            Process process;
            ManagerInfo info;
            try
            {
                (process, info) = await ManagerChild.LaunchAsync(home, settings, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                await cluster.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            cluster._managers.Add((process, home, info));
        }

        return cluster;
    }

    /// <summary>A client of manager <paramref name="index"/>.</summary>
    public Task<JobQueueClient> ConnectAsync(int index, CancellationToken cancellationToken)
    {
        var (_, home, info) = _managers[index % _managers.Count];
        return JobQueueClient.ConnectAsync(JobQueueConnectionOptions.For(info, home), cancellationToken);
    }

    /// <summary>CPU seconds (user and system) each manager process has used so far.</summary>
    public IReadOnlyList<double> CpuSeconds() =>
        [.. _managers.Select(m => ProcessTree.CpuTime(m.Process.Id, [m.Process.Id]).TotalSeconds)];

    /// <summary>The sum and count of a histogram in manager <paramref name="index"/>'s /metrics, over all its series.</summary>
    public async Task<(double Sum, double Count)> HistogramAsync(int index, string name, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(_managers[index].Info.WebUrl!) };
        var text = await http.GetStringAsync(new Uri("metrics", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        double Total(string suffix) => text.Split('\n')
            .Where(l => l.StartsWith(name + suffix, StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
        return (Total("_sum"), Total("_count"));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (process, _, _) in _managers)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}
