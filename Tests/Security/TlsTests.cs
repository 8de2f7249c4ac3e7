using System.Runtime.Versioning;
using JobQueue.Home;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Security;

/// <summary>Mutual TLS, on by default: only processes holding a certificate of the manager's authority get in.</summary>
[SupportedOSPlatform("linux")]
public sealed class TlsTests : IAsyncLifetime
{
    private readonly TempDirectory _scratch = new("tls");
    private ManagerProcess _manager = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Home => Path.Combine(_scratch.Path, "home");

    public async ValueTask InitializeAsync() => _manager = await ManagerProcess.StartAsync(Home);

    public async ValueTask DisposeAsync()
    {
        await _manager.DisposeAsync();
        _scratch.Dispose();
    }

    [Fact]
    public async Task The_first_start_creates_an_authority_and_a_certificate_only_the_owner_can_read_and_the_owner_connects_with_them()
    {
        var tls = ClusterCredentials.DirectoryOf(Home);
        Assert.Equal(PrivateFiles.DirectoryMode, File.GetUnixFileMode(tls));
        foreach (var file in new[] { ClusterCredentials.AuthorityFileName, ClusterCredentials.MemberFileName })
        {
            Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(Path.Combine(tls, file)));
        }

        await using var client = await _manager.ConnectAsync();
        Assert.Equal(1, (await client.AddAsync([Jobs.Spec("echo allowed", "tls")], Ct)).Added);
    }

    [Fact]
    public async Task A_client_of_another_authority_is_refused_with_not_authorised_and_the_manager_logs_one_line()
    {
        var stranger = Path.Combine(_scratch.Path, "stranger");
        ClusterCredentials.EnsureCreated(stranger).Dispose();
        var options = JobQueueConnectionOptions.For(_manager.Info, stranger);

        var refused = await Assert.ThrowsAsync<JobQueueException>(() => JobQueueClient.ConnectAsync(options, Ct));

        Assert.True(refused.Kind == JobQueueErrorKind.NotAuthorised, refused.ToString());
        Assert.Contains("not authorised", refused.Message, StringComparison.Ordinal);
        var log = await Eventually.Get(
            () => Task.FromResult(ManagerLog()),
            text => text.Contains("not authorised: refused a connection: certificate CN=JobQueue member", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            "the manager to log the refusal");
        Assert.Single(log.Split('\n'), l => l.Contains("not authorised", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_plain_client_without_tls_cannot_connect_and_the_manager_says_so()
    {
        var options = JobQueueConnectionOptions.For(_manager.Info, Home);
        options.CertificateHome = null;
        options.ConnectTimeout = TimeSpan.FromSeconds(5);

        await Assert.ThrowsAsync<JobQueueException>(() => JobQueueClient.ConnectAsync(options, Ct));
        await Eventually.Get(
            () => Task.FromResult(ManagerLog()),
            text => text.Contains("not authorised: refused a client connection from", StringComparison.Ordinal) && text.Contains("it does not speak TLS", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            "the manager to log the plain connection it refused");
    }

    [Fact]
    public async Task A_hand_written_manager_file_without_the_certificate_cannot_add_commands_and_the_cli_exits_2()
    {
        // The attack from outside: another user's home with only a manager file pointing at this manager's port.
        var intruder = Path.Combine(_scratch.Path, "intruder");
        PrivateFiles.EnsureDirectory(intruder);
        _manager.Info.Write(intruder);
        await using var pretendLive = ManagerLock.TryAcquire(intruder);
        var marker = Path.Combine(_scratch.Path, "ran.txt");

        var added = await new CliRunner(intruder).RunWithInputAsync($"touch {marker}\n", "add", "-f", "-", "--rep-grp", "intruder");
        var listed = await new CliRunner(intruder).RunAsync("status", "--json");

        Assert.True(added.ExitCode == 2, added.ToString());
        Assert.Contains("jobqueue: not authorised: no client certificate readable", added.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, listed.ExitCode);
        await using var owner = await _manager.ConnectAsync();
        Assert.Empty(await owner.GetRepGroupCountsAsync("intruder", Ct));
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task An_exported_authority_imported_elsewhere_lets_that_home_connect()
    {
        var other = Path.Combine(_scratch.Path, "other");
        Directory.CreateDirectory(other);
        var file = Path.Combine(_scratch.Path, "authority.pfx");

        var exported = await new CliRunner(Home).RunAsync("manager", "cert", "export", file);
        var imported = await new CliRunner(other).RunAsync("manager", "cert", "import", file);

        Assert.True(exported.ExitCode == 0, exported.ToString());
        Assert.True(imported.ExitCode == 0, imported.ToString());
        Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(file));
        await using var client = await JobQueueClient.ConnectAsync(JobQueueConnectionOptions.For(_manager.Info, other), Ct);
        Assert.Equal(_manager.Info.Port, (await client.GetServerInfoAsync(Ct)).Port);
    }

    private string ManagerLog() =>
        string.Concat(Directory.GetFiles(Path.Combine(Home, "logs"), "*.log").Select(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }));
}
