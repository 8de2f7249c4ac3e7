using System.Security.Authentication;
using JobQueue.Client.Execution;
using JobQueue.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace JobQueue.Client;

/// <summary>
/// The client API of the job queue, mirroring the model's: add jobs, reserve and work on them under a fenced lease,
/// query them, and manage the manager. Thread-safe; one instance identifies one client to the lease checks.
/// </summary>
public sealed partial class JobQueueClient : IAsyncDisposable
{
    /// <summary>How many jobs go to the manager in one call (one transaction).</summary>
    public const int AddChunkSize = 10_000;

    private readonly IClusterClient _cluster;
    private readonly IHost? _ownedHost;
    private readonly TimeProvider _time;

    /// <summary>Wraps a connected Orleans client (for use inside another Orleans application or a test cluster).</summary>
    public JobQueueClient(IClusterClient cluster, TimeProvider? time = null)
        : this(cluster, null, time)
    {
    }

    private JobQueueClient(IClusterClient cluster, IHost? ownedHost, TimeProvider? time)
    {
        _cluster = cluster ?? throw new ArgumentNullException(nameof(cluster));
        _ownedHost = ownedHost;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Another client sharing this one's connection but with an identity (and so leases) of its own.</summary>
    public JobQueueClient WithNewIdentity() => new(_cluster, null, _time);

    /// <summary>This client's identity; every lease it takes starts with it.</summary>
    public string ClientId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Connects to a manager.</summary>
    /// <exception cref="JobQueueException">
    /// NoServer if no manager answered within <see cref="JobQueueConnectionOptions.ConnectTimeout"/>; NotAuthorised if
    /// the client has no certificate it can read or the manager and it do not share an authority.
    /// </exception>
    public static async Task<JobQueueClient> ConnectAsync(JobQueueConnectionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (credentials, ownedCredentials) = ClientTls.Resolve(options);
        var refused = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.AddJobQueueClient();
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            client.UseStaticClustering([.. options.Gateways]);
            if (credentials is not null)
            {
                ClientTls.Use(client, credentials, problem => refused.TrySetResult(problem));
            }
        });
        if (ownedCredentials)
        {
            builder.Services.AddSingleton(new OwnedCredentials(credentials!));
        }

        var host = builder.Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var where = string.Join(",", options.Gateways);
        try
        {
            // Orleans retries a refused connection until the deadline; a manager of another authority will not change its mind.
            var started = host.StartAsync(timeout.Token);
            if (await Task.WhenAny(started, refused.Task).ConfigureAwait(false) == refused.Task)
            {
                await timeout.CancelAsync().ConfigureAwait(false);
                await started.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
                throw new AuthenticationException(refused.Task.Result);
            }

            await started.ConfigureAwait(false);
            var client = new JobQueueClient(host.Services.GetRequiredService<IClusterClient>(), host, null);
            await client.Server.Ping().WaitAsync(timeout.Token).ConfigureAwait(false);
            return client;
        }
        catch (AuthenticationException ex)
        {
            host.Dispose();
            throw new JobQueueException(JobQueueErrorKind.NotAuthorised, "Connect", detail: $"the manager at {where} and this client do not share a certificate authority: {ex.Message}", inner: ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            throw new JobQueueException(JobQueueErrorKind.NoServer, "Connect", detail: $"no manager answered at {where}: {ex.Message}", inner: ex);
        }
    }

    /// <summary>Connects to the manager at "host:port" gateways.</summary>
    public static Task<JobQueueClient> ConnectAsync(string servers, CancellationToken cancellationToken = default)
    {
        var options = new JobQueueConnectionOptions();
        foreach (var endpoint in JobQueueConnectionOptions.ParseGateways(servers))
        {
            options.Gateways.Add(endpoint);
        }

        return ConnectAsync(options, cancellationToken);
    }

    private IServerGrain Server => _cluster.GetGrain<IServerGrain>(0);

    private IJobQueryGrain Query => _cluster.GetGrain<IJobQueryGrain>(0);

    /// <summary>
    /// Adds jobs that are not already in the queue incomplete; a job that completed before runs again. The whole set is
    /// validated first; nothing is added if any job is bad.
    /// </summary>
    /// <returns>How many were added and how many already existed.</returns>
    public Task<AddResult> AddAsync(IEnumerable<JobSpec> jobs, CancellationToken cancellationToken = default) =>
        AddAsync(jobs, skipCompleted: false, cancellationToken);

    /// <summary>Adds jobs as <see cref="AddAsync(IEnumerable{JobSpec}, CancellationToken)"/> does; with <paramref name="skipCompleted"/>, jobs that already completed count as existed and do not run again.</summary>
    public async Task<AddResult> AddAsync(IEnumerable<JobSpec> jobs, bool skipCompleted, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var list = jobs as IReadOnlyList<JobSpec> ?? [.. jobs];
        JobSpecValidator.ThrowIfInvalid(list);
        var total = new AddResult(0, 0);
        var adder = _cluster.GetGrain<IJobAdderGrain>(0);
        foreach (var batch in AddBatch.Split(list, CurrentEnvironment.Entries, AddChunkSize, skipCompleted))
        {
            cancellationToken.ThrowIfCancellationRequested();
            total += await Call("Add", adder.Add(batch), cancellationToken).ConfigureAwait(false);
        }

        return total;
    }

    /// <summary>Extends the lease on a reserved or running job.</summary>
    public Task<LeaseStatus> TouchAsync(Job job, CancellationToken cancellationToken = default) =>
        Call("Touch", JobGrain(job).Touch(Lease(job, "Touch")), cancellationToken);

    /// <summary>Records that the job's command started.</summary>
    public Task StartedAsync(Job job, int pid, string host, CancellationToken cancellationToken = default) =>
        Call("Started", JobGrain(job).Started(Lease(job, "Started"), pid, host), cancellationToken);

    /// <summary>Records how the job's command ended; only the first and last 4 KiB of stdout and stderr are kept.</summary>
    public Task EndedAsync(Job job, int exitCode, int peakRamMb, TimeSpan cpuTime, byte[]? stdout, byte[]? stderr, CancellationToken cancellationToken = default) =>
        EndedAsync(job, new JobEndReport(exitCode, peakRamMb, cpuTime, stdout, stderr), cancellationToken);

    /// <summary>
    /// Records that the job's command exited 0 and completes it: <see cref="EndedAsync(Job, int, int, TimeSpan, byte[], byte[], CancellationToken)"/> and <see cref="ArchiveAsync"/>
    /// in one call and one commit (what <see cref="ExecuteAsync"/> does after a successful run).
    /// </summary>
    public Task EndedAndArchiveAsync(Job job, int peakRamMb, TimeSpan cpuTime, byte[]? stdout, byte[]? stderr, CancellationToken cancellationToken = default) =>
        EndedAndArchiveAsync(job, new JobEndReport(0, peakRamMb, cpuTime, stdout, stderr), cancellationToken);

    /// <summary><see cref="EndedAsync(Job, int, int, TimeSpan, byte[], byte[], CancellationToken)"/> with the whole report, which may carry the command's pid.</summary>
    internal Task EndedAsync(Job job, JobEndReport report, CancellationToken cancellationToken) =>
        Call("Ended", JobGrain(job).Ended(Lease(job, "Ended"), Kept(report)), cancellationToken);

    /// <summary><see cref="EndedAndArchiveAsync(Job, int, TimeSpan, byte[], byte[], CancellationToken)"/> with the whole report, which may carry the command's pid.</summary>
    internal Task EndedAndArchiveAsync(Job job, JobEndReport report, CancellationToken cancellationToken) =>
        Call("EndedAndArchive", JobGrain(job).EndedAndArchive(Lease(job, "EndedAndArchive"), Kept(report)), cancellationToken);

    /// <summary>Gives the job back after a failure (or without running it); it is delayed by <paramref name="delay"/> (null: the manager's default, 30 s unless configured), or buried once its retries are used up.</summary>
    /// <returns>The job's new state.</returns>
    public Task<JobState> ReleaseAsync(Job job, string failReason, TimeSpan? delay = null, CancellationToken cancellationToken = default) =>
        Call("Release", JobGrain(job).Release(Lease(job, "Release"), failReason ?? "", delay), cancellationToken);

    /// <summary>Buries the job: it will not run again until kicked.</summary>
    public Task BuryAsync(Job job, string failReason, CancellationToken cancellationToken = default) =>
        Call("Bury", JobGrain(job).Bury(Lease(job, "Bury"), failReason ?? ""), cancellationToken);

    /// <summary>Completes a job whose command ran and exited 0; it moves to the history.</summary>
    public Task ArchiveAsync(Job job, CancellationToken cancellationToken = default) =>
        Call("Archive", JobGrain(job).Archive(Lease(job, "Archive")), cancellationToken);

    /// <summary>
    /// Runs a reserved job's command (or one reserved and started by <see cref="ReserveAndStartAsync"/>) with <paramref name="shell"/> in its working directory and environment, touching
    /// its lease, measuring its process tree, and finally archiving, releasing or burying it. Cancelling (e.g. on a
    /// signal to the runner) kills the command and releases the job with <see cref="FailReasons.Signal"/> at no retry cost.
    /// </summary>
    public Task<ExecutionResult> ExecuteAsync(Job job, string shell = "bash", ExecuteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JobExecutor(this, _time).ExecuteAsync(job, shell, options ?? new ExecuteOptions(), cancellationToken);
    }

    /// <summary>The job that runs <paramref name="cmd"/> in <paramref name="cwd"/> (its latest run if complete), or null.</summary>
    public async Task<Job?> GetByCmdAsync(string cmd, string cwd, bool getStd = false, bool getEnv = false, CancellationToken cancellationToken = default)
    {
        var jobs = await Call("GetByCmd", Query.GetByKeys([JobKey.For(cwd, cmd)], getStd, getEnv), cancellationToken).ConfigureAwait(false);
        return jobs.Count == 0 ? null : jobs[0];
    }

    /// <summary>The jobs with these commands/keys, each incomplete or as its latest run.</summary>
    public async Task<IReadOnlyList<Job>> GetByCmdsAsync(IEnumerable<JobRef> jobs, bool getStd = false, bool getEnv = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var result = new List<Job>();
        foreach (var chunk in jobs.Select(j => j.Key).Chunk(AddChunkSize))
        {
            result.AddRange(await Call("GetByCmds", Query.GetByKeys(chunk, getStd, getEnv), cancellationToken).ConfigureAwait(false));
        }

        return result;
    }

    /// <summary>The jobs of a rep group, complete ones included. With <paramref name="limit"/> above 0, at most that many per state/exit code/fail reason group, the last of each carrying <see cref="Job.Similar"/>.</summary>
    public Task<IReadOnlyList<Job>> GetByRepGroupAsync(string repGroup, int limit = 0, JobState? state = null, bool getStd = false, bool getEnv = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repGroup);
        return Call("GetByRepGroup", Query.Find(new JobQuery { RepGroup = repGroup, Limit = limit, State = state, GetStd = getStd, GetEnv = getEnv }), cancellationToken);
    }

    /// <summary>All jobs not complete, grouped and limited as in <see cref="GetByRepGroupAsync"/>.</summary>
    public Task<IReadOnlyList<Job>> GetIncompleteAsync(int limit = 0, JobState? state = null, bool getStd = false, bool getEnv = false, CancellationToken cancellationToken = default) =>
        Call("GetIncomplete", Query.Find(new JobQuery { Limit = limit, State = state, GetStd = getStd, GetEnv = getEnv }), cancellationToken);

    /// <summary>Every completed run of a job, oldest first.</summary>
    public Task<IReadOnlyList<Job>> GetRunsAsync(string cmd, string cwd, bool getStd = false, bool getEnv = false, CancellationToken cancellationToken = default) =>
        Call("GetRuns", Query.GetRuns(JobKey.For(cwd, cmd), getStd, getEnv), cancellationToken);

    /// <summary>Counts of jobs by state per rep group (or for one).</summary>
    public Task<IReadOnlyList<RepGroupCounts>> GetRepGroupCountsAsync(string? repGroup = null, CancellationToken cancellationToken = default) =>
        Call("GetRepGroupCounts", Query.GetRepGroupCounts(repGroup), cancellationToken);

    /// <summary>True if the manager answers within <paramref name="timeout"/>.</summary>
    public async Task<bool> PingAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        try
        {
            await Server.Ping().WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException or JobQueueException)
        {
            return false;
        }
    }

    /// <summary>Facts about the manager.</summary>
    public Task<ServerInfo> GetServerInfoAsync(CancellationToken cancellationToken = default) =>
        Call("ServerInfo", Server.Ping(), cancellationToken);

    /// <summary>Counts of delayed, ready, running and buried jobs, and the estimated time until running jobs complete.</summary>
    public Task<ServerStats> GetServerStatsAsync(CancellationToken cancellationToken = default) =>
        Call("ServerStats", Server.GetStats(), cancellationToken);

    /// <summary>True if the manager's scheduler has runners alive.</summary>
    public async Task<bool> HasRunnersAsync(CancellationToken cancellationToken = default) =>
        (await GetServerStatsAsync(cancellationToken).ConfigureAwait(false)).Runners > 0;

    /// <summary>Stops new reservations; running jobs finish, then the manager exits. Returns what still runs.</summary>
    public Task<DrainResult> DrainServerAsync(CancellationToken cancellationToken = default) =>
        Call("DrainServer", Server.Drain(), cancellationToken);

    /// <summary>Stops the managers handing out jobs until <see cref="ResumeServerAsync"/>; running jobs go on. Returns the mode now ("paused", or "draining": a drain stays a drain).</summary>
    public Task<string> PauseServerAsync(CancellationToken cancellationToken = default) =>
        Call("PauseServer", Server.Pause(), cancellationToken);

    /// <summary>Hands out jobs again after <see cref="PauseServerAsync"/>. Returns the mode now ("started", or "draining").</summary>
    public Task<string> ResumeServerAsync(CancellationToken cancellationToken = default) =>
        Call("ResumeServer", Server.Resume(), cancellationToken);

    /// <summary>Backs the manager's SQLite database up now; returns the backup's path, or null on PostgreSQL (use pg_dump there).</summary>
    public Task<string?> BackupServerAsync(CancellationToken cancellationToken = default) =>
        Call("BackupServer", Server.Backup(), cancellationToken);

    /// <summary>Asks the manager to stop (its runners' jobs are released). True if the request was taken.</summary>
    public async Task<bool> ShutdownServerAsync(CancellationToken cancellationToken = default)
    {
        await Call("ShutdownServer", Server.Shutdown(), cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownedHost is not null)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _ownedHost.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or OrleansException)
            {
                // The manager may already be gone; there is nothing left to close cleanly.
            }

            _ownedHost.Dispose();
        }
    }

    // The report as sent: only the first and last 4 KiB of its output.
    private static JobEndReport Kept(JobEndReport report) => report with { StdOut = Keep(report.StdOut), StdErr = Keep(report.StdErr) };

    private static byte[]? Keep(byte[]? output) => output is null ? null : HeadTailBuffer.Truncate(output);

    /// <summary>The lease this client presents for <paramref name="job"/>: its own id and the reservation's secret token.</summary>
    private string Lease(Job job, string operation)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.LeaseToken is not { } token || !string.Equals(job.ReservedBy, ClientId, StringComparison.Ordinal))
        {
            throw new JobQueueException(JobQueueErrorKind.MustReserve, operation, job.Key, "this job was not reserved by this client");
        }

        return Leases.Compose(ClientId, token);
    }

    private static async Task<T> Call<T>(string operation, Task<T> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(operation, ex) is { } translated)
        {
            throw translated;
        }
    }

    private static async Task Call(string operation, Task call, CancellationToken cancellationToken)
    {
        try
        {
            await call.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(operation, ex) is { } translated)
        {
            throw translated;
        }
    }

    // The manager's own answers are JobQueueExceptions; anything Orleans raises instead (the manager went away, a
    // message was rejected or forwarded too often while the managers' view changed, a time-out) means no answer came,
    // whatever may have happened: NoServer, which callers retry and a reserve follows by giving back what it may hold.
    private static JobQueueException? Translate(string operation, Exception ex) => ex switch
    {
        JobQueueException => null,
        OrleansException or TimeoutException or ObjectDisposedException =>
            new JobQueueException(JobQueueErrorKind.NoServer, operation, detail: ex.Message, inner: ex),
        _ => null,
    };

    private IJobGrain JobGrain(Job job) => _cluster.GetJobGrain((job ?? throw new ArgumentNullException(nameof(job))).Key);
}
