using System.Globalization;
using JobQueue.Home;
using JobQueue.Tests.Infrastructure;
using Npgsql;

namespace JobQueue.Tests.Chaos;

/// <summary>
/// Real manager processes on one fresh PostgreSQL database, sharing a certificate authority, each with a home of its
/// own (as on separate machines), and a log that commands append their starts and ends to.
/// </summary>
public sealed class ChaosCluster : IAsyncDisposable
{
    // Orleans logs each retry of each message to a dead manager: diagnostics leave those out.
    private static readonly string[] Noise = [" Polly: ", " Orleans.Messaging: Failed to address", " ConnectionManager: Connection attempt"];
    private readonly TempDirectory _scratch = new("chaos");
    private readonly List<ManagerProcess> _managers = [];
    private readonly string[] _settings;
    private PostgresDatabase? _database;
    private string _connectionString = "";

    private ChaosCluster(string[] settings) => _settings = settings;

    public string Scratch => _scratch.Path;

    /// <summary>The database every manager shares.</summary>
    public string ConnectionString => _connectionString;

    /// <summary>Every manager started so far, dead or alive.</summary>
    public IReadOnlyList<ManagerProcess> Managers => _managers;

    /// <summary>The managers that have not exited.</summary>
    public IEnumerable<ManagerProcess> Alive => _managers.Where(m => !m.HasExited);

    /// <summary>Starts <paramref name="managers"/> managers on a fresh database of the test server (or the given one), with extra settings.</summary>
    public static async Task<ChaosCluster> StartAsync(int managers, string? connectionString = null, params string[] settings)
    {
        var cluster = new ChaosCluster(settings);
        if (connectionString is null)
        {
            cluster._database = await PostgresDatabase.CreateAsync();
            cluster._connectionString = cluster._database.ConnectionString;
        }
        else
        {
            cluster._connectionString = connectionString;
        }

        for (var i = 0; i < managers; i++)
        {
            await cluster.StartManagerAsync();
        }

        return cluster;
    }

    /// <summary>Starts one more manager, joining the others.</summary>
    public async Task<ManagerProcess> StartManagerAsync()
    {
        var home = Path.Combine(Scratch, $"manager{_managers.Count}");
        if (_managers.Count > 0)
        {
            ClusterCredentials.ShareAuthority(_managers[0].Home, home);
        }

        var manager = await ManagerProcess.StartAsync(
            home,
            ["--Storage:Provider", "postgres", "--Storage:ConnectionString", _connectionString, "--Manager:ClusterId", "chaos", .. _settings]);
        _managers.Add(manager);
        return manager;
    }

    /// <summary>A client that knows only the given managers' gateways (any of them will do; it fails over between them).</summary>
    public Task<JobQueueClient> ConnectAsync(params ManagerProcess[] via)
    {
        var options = JobQueueConnectionOptions.For(via[0].Info, via[0].Home);
        foreach (var other in via.Skip(1))
        {
            foreach (var gateway in JobQueueConnectionOptions.ParseGateways(other.Info.Address))
            {
                options.Gateways.Add(gateway);
            }
        }

        return JobQueueClient.ConnectAsync(options);
    }

    /// <summary>Every live manager's gateway, "host:port,host:port".</summary>
    public string Gateways => string.Join(',', Alive.Select(m => m.Info.Address));

    /// <summary>Where commands made by <see cref="RecordedCommand"/> write.</summary>
    public string Log => Path.Combine(Scratch, "runs.log");

    /// <summary>
    /// A command that logs its start and end and holds an exclusive lock on its job's lock file while it works: a
    /// second copy running at the same time cannot take the lock and logs an overlap. A killed copy's lock goes with it.
    /// </summary>
    public string RecordedCommand(string id, double seconds)
    {
        var lockFile = Path.Combine(Scratch, $"{id}.lock");
        var secs = seconds.ToString("0.###", CultureInfo.InvariantCulture);
        return $"echo \"{id} S $$ $(date +%s%3N)\" >> {Log}; flock -n {lockFile} sleep {secs} || echo \"{id} OVERLAP $$ $(date +%s%3N)\" >> {Log}; echo \"{id} E $$ $(date +%s%3N)\" >> {Log}";
    }

    /// <summary>The log's lines so far: job id, S(tart), E(nd) or OVERLAP, the shell's pid, and when.</summary>
    public IReadOnlyList<Run> Runs() =>
        !File.Exists(Log) ? [] : [.. File.ReadAllLines(Log).Select(l => l.Split(' ')).Where(p => p.Length == 4).Select(p => new Run(
            p[0],
            p[1],
            int.Parse(p[2], CultureInfo.InvariantCulture),
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(p[3], CultureInfo.InvariantCulture))))];

    /// <summary>
    /// Orleans' membership rows (status, when each manager was suspected and by whom), then what every manager logged
    /// (its runners' lines included, Orleans' per-message retries left out) between <paramref name="from"/> and
    /// <paramref name="to"/>, at most <paramref name="limit"/> lines each: printed when a chaos test fails, since its
    /// homes go with it.
    /// </summary>
    public async Task<string> DiagnoseAsync(DateTimeOffset from, DateTimeOffset to, int limit = 40)
    {
        var text = new System.Text.StringBuilder();
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync();
            await using var query = new NpgsqlCommand("SELECT port, generation, status, iamalivetime, suspecttimes FROM orleansmembershiptable ORDER BY port", connection);
            await using var rows = await query.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"-- member port {rows.GetInt32(0)} generation {rows.GetInt32(1)} status {rows.GetInt32(2)} alive {rows.GetDateTime(3):HH:mm:ss.fff} suspected {(rows.IsDBNull(4) ? "never" : rows.GetString(4))}");
            }
        }

        for (var i = 0; i < _managers.Count; i++)
        {
            var file = Path.Combine(_managers[i].Home, "logs", "manager.log");
            var lines = !File.Exists(file) ? [] : File.ReadLines(file).Where(l => Within(l, from, to) && !Noise.Any(l.Contains)).Select(l => l.Length > 240 ? l[..240] : l).ToList();
            text.AppendLine(CultureInfo.InvariantCulture, $"-- manager {i} (pid {_managers[i].Pid}): {lines.Count} lines from {from:HH:mm:ss} to {to:HH:mm:ss}");
            foreach (var line in lines.Take(limit / 2).Concat(lines.Count > limit ? ["..."] : []).Concat(lines.Skip(Math.Max(limit / 2, lines.Count - limit / 2))))
            {
                text.AppendLine(line);
            }
        }

        return text.ToString();
    }

    private static bool Within(string line, DateTimeOffset from, DateTimeOffset to) =>
        line.Length >= 19
        && DateTime.TryParseExact(line[..19], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var at)
        && new DateTimeOffset(at) >= from.AddSeconds(-1) && new DateTimeOffset(at) <= to.AddSeconds(1);

    public async ValueTask DisposeAsync()
    {
        foreach (var manager in _managers)
        {
            await manager.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _scratch.Dispose();
    }
}
