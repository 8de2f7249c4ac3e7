using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Storage;

/// <summary>A manager with unusable settings stops at once with one clear line, not a stack trace.</summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly TempDirectory _home = new("config");

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task An_unknown_storage_provider_is_named()
    {
        var manager = await ManagerProcess.RunToExitAsync(_home.Path, "--Storage:Provider", "mongodb");

        AssertOneLineError(manager, "Storage:Provider is \"mongodb\"; it must be \"sqlite\" or \"postgres\"");
    }

    [Fact]
    public async Task An_unreachable_postgres_is_named()
    {
        var manager = await ManagerProcess.RunToExitAsync(
            _home.Path,
            "--Storage:Provider", "postgres",
            "--Storage:ConnectionString", "Host=127.0.0.1;Port=1;Database=nowhere;Username=x;Password=y");

        AssertOneLineError(manager, "cannot reach PostgreSQL at 127.0.0.1:1/nowhere");
    }

    [Fact]
    public async Task An_unwritable_directory_is_named()
    {
        var blocker = Path.Combine(_home.Path, "a-file");
        await File.WriteAllTextAsync(blocker, "not a directory", TestContext.Current.CancellationToken);

        var manager = await ManagerProcess.RunToExitAsync(_home.Path, "--Storage:DbFile", Path.Combine(blocker, "db", "jobqueue.db"));

        AssertOneLineError(manager, $"cannot write the database directory {Path.Combine(blocker, "db")}");
    }

    [Fact]
    public async Task A_bad_deployment_is_named()
    {
        var manager = await ManagerProcess.RunToExitAsync(_home.Path, "--Manager:Deployment", "staging");

        AssertOneLineError(manager, "deployment is \"staging\"");
    }

    [Theory]
    [InlineData("SweepInterval", "00:00:00", "Queue:SweepInterval is 00:00:00; it must be more than zero")]
    [InlineData("ReadyBufferSize", "0", "Queue:ReadyBufferSize is 0; it must be at least 1")]
    [InlineData("TimeToRelease", "00:00:01", "Queue:TimeToRelease is 00:00:01; leases shorter than 2 s cannot be touched in time")]
    public async Task Bad_queue_settings_are_named(string setting, string value, string expected)
    {
        var manager = await ManagerProcess.RunToExitAsync(_home.Path, $"--Queue:{setting}", value);

        AssertOneLineError(manager, expected);
    }

    [Fact]
    public async Task A_connection_string_file_that_cannot_be_read_is_named()
    {
        var missing = Path.Combine(_home.Path, "no-such-secret");
        var manager = await ManagerProcess.RunToExitAsync(_home.Path, "--Storage:Provider", "postgres", "--Storage:ConnectionStringFile", missing);

        AssertOneLineError(manager, $"Storage:ConnectionStringFile {missing} cannot be read");
    }

    [Fact]
    public async Task A_slurm_that_does_not_answer_is_named()
    {
        var manager = await ManagerProcess.RunToExitAsync(
            _home.Path,
            new Dictionary<string, string> { ["SLURM_CONF"] = Path.Combine(_home.Path, "no-such-slurm.conf") },
            "--Manager:Scheduler", "slurm");

        AssertOneLineError(manager, "the Slurm scheduler cannot be used: ");
    }

    private static void AssertOneLineError(ManagerProcess manager, string expected)
    {
        Assert.Equal(1, manager.ExitCode);
        var line = Assert.Single(manager.Output, l => l.Length > 0);
        Assert.StartsWith("jobqueue manager: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }
}
