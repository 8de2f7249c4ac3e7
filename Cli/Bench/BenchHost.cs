using System.Diagnostics;
using JobQueue.Grains.Storage;
using JobQueue.Silo.Hosting;

namespace JobQueue.Cli.Bench;

/// <summary>A manager in this process on a temporary store (SQLite file or a PostgreSQL database), with a client.</summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private readonly string _home;
    private readonly string _store;
    private readonly string? _connection;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private RunningManager? _manager;
    private bool _connected;

    private BenchHost(string home, string store, string? connection, IReadOnlyDictionary<string, string?> settings)
    {
        _home = home;
        _store = store;
        _connection = connection;
        _settings = settings;
    }

    public JobQueueClient Client { get; private set; } = null!;

    /// <summary>With the web interface on: an HTTP client holding its token, at its address.</summary>
    public HttpClient? Web { get; private set; }

    /// <summary>Starts a manager (no scheduler unless <paramref name="settings"/> say otherwise) and connects.</summary>
    public static async Task<BenchHost> StartAsync(string store, string? connection, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var home = Path.Combine(Path.GetTempPath(), $"jobqueue-bench-{Guid.NewGuid():N}");
        var host = new BenchHost(home, store, connection, settings ?? new Dictionary<string, string?>());
        await host.StartManagerAsync(Deployments.Development, cancellationToken).ConfigureAwait(false);
        return host;
    }

    /// <summary>
    /// Stops the manager (which backs the database up on the way) and starts a new one on the same store; returns when
    /// it answers, with how long the stop took.
    /// </summary>
    public async Task<TimeSpan> RestartAsync(CancellationToken cancellationToken)
    {
        var stopping = Stopwatch.StartNew();
        await StopManagerAsync().ConfigureAwait(false);
        var stopped = stopping.Elapsed;
        await StartManagerAsync(Deployments.Production, cancellationToken).ConfigureAwait(false);
        return stopped;
    }

    /// <summary>Proportional memory of this process (manager and client together), in MB.</summary>
    public static long ProcessPssMb() => ProcessTree.PssMb([Environment.ProcessId]);

    public async ValueTask DisposeAsync()
    {
        Web?.Dispose();
        await StopManagerAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    /// <summary>
    /// Stops the manager in this process and starts one in a process of its own on the same store and settings, to
    /// measure a manager's memory without the client's; the bench's own client is then gone.
    /// </summary>
    public async Task<ManagerChild> MoveManagerToProcessAsync(CancellationToken cancellationToken)
    {
        await StopManagerAsync().ConfigureAwait(false);
        return await ManagerChild.StartAsync(_home, Overrides(Deployments.Production), cancellationToken).ConfigureAwait(false);
    }

    private async Task StartManagerAsync(string deployment, CancellationToken cancellationToken)
    {
        _manager = await JobQueueManager.StartAsync(ManagerConfiguration.Load([], Overrides(deployment)), cancellationToken: cancellationToken).ConfigureAwait(false);
        Client = await JobQueueClient.ConnectAsync(JobQueueConnectionOptions.For(_manager.Info, _manager.Home), cancellationToken).ConfigureAwait(false);
        _connected = true;
        if (_manager.Info.WebUrl is { } url)
        {
            Web?.Dispose();
            Web = new HttpClient { BaseAddress = new Uri(url) };
            Web.DefaultRequestHeaders.Authorization = new("Bearer", Silo.Web.WebToken.Read(_home));
        }
    }

    private Dictionary<string, string?> Overrides(string deployment)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Manager:Home"] = _home,
            ["Manager:Scheduler"] = "none",
            ["Manager:Deployment"] = deployment,
            ["Manager:LogToConsole"] = Environment.GetEnvironmentVariable("JOBQUEUE_BENCH_LOG") ?? "false",
            ["Manager:WebPort"] = "-1",
            ["Storage:Provider"] = _store,
            ["Storage:ConnectionString"] = _connection,
            ["Storage:BackupInterval"] = "00:00:00",
            ["Storage:DbFileBackup"] = "",
        };
        foreach (var (key, value) in _settings)
        {
            overrides[key] = value;
        }

        return overrides;
    }

    private async Task StopManagerAsync()
    {
        if (_connected)
        {
            await Client.DisposeAsync().ConfigureAwait(false);
            _connected = false;
        }

        if (_manager is not null)
        {
            await _manager.DisposeAsync().ConfigureAwait(false);
            _manager = null;
        }
    }
}
