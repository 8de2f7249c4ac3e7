using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Chaos;

/// <summary>A PostgreSQL server of the test's own (scripts/pg-up.sh), which the test may stop and start again.</summary>
public sealed class OwnPostgres : IAsyncDisposable
{
    private readonly string _dataDir;
    private readonly int _port;

    private OwnPostgres(string dataDir, int port, string connectionString)
    {
        _dataDir = dataDir;
        _port = port;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<OwnPostgres> StartAsync()
    {
        // Under /tmp: the server's own OS user (when the tests run as root) must be able to reach it.
        var dataDir = Path.Combine(Path.GetTempPath(), $"jobqueue-chaos-pg-{Guid.NewGuid():N}", "data");
        var port = FreePort();
        var output = await ScriptAsync("pg-up.sh", dataDir, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new OwnPostgres(dataDir, port, output.Trim().Split('\n')[^1]);
    }

    public Task StopAsync() => ScriptAsync("pg-down.sh", _dataDir);

    public Task StartAgainAsync() => ScriptAsync("pg-up.sh", _dataDir, _port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async ValueTask DisposeAsync()
    {
        await ScriptAsync("pg-down.sh", _dataDir, "--purge");
        try
        {
            Directory.Delete(Path.GetDirectoryName(_dataDir)!, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> ScriptAsync(string script, params string[] args)
    {
        var result = await ProgramRun.RunAsync(new ProcessStartInfo(Path.Combine(Repository.Root, "scripts", script), args), TimeSpan.FromSeconds(120));
        return result.ExitCode == 0 ? result.Stdout : throw new InvalidOperationException($"{script} failed: {result.Stdout}{result.Stderr}");
    }
}
