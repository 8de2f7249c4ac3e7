using System.Text.RegularExpressions;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Storage;

/// <summary>A two-manager cluster started exactly as the README says, through the jobqueue command line.</summary>
public sealed partial class ReadmeClusterTests : IAsyncLifetime
{
    private readonly TempDirectory _scratch = new("readme-cluster");
    private readonly List<CliRunner> _managers = [];
    private PostgresDatabase _database = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var manager in _managers)
        {
            await manager.RunAsync("manager", "stop");
        }

        await _database.DisposeAsync();
        _scratch.Dispose();
    }

    [Fact]
    public async Task Two_managers_started_as_the_readme_says_form_one_cluster_and_only_what_fits_no_machine_is_buried()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "README.md"), Ct);
        var line = StartLine().Match(readme.Replace("\\\n", " ", StringComparison.Ordinal));
        Assert.True(line.Success, "the README shows how to start a cluster manager");
        var secret = Path.Combine(_scratch.Path, "jobqueue-db");
        await File.WriteAllTextAsync(secret, _database.ConnectionString + "\n", Ct);
        var args = line.Groups[1].Value
            .Replace("~/.jobqueue-db", secret, StringComparison.Ordinal)
            .Replace("this-machine.example.org", "127.0.0.1", StringComparison.Ordinal)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // The small machine cannot run a 4 GB job; the big one can, so the small one must not bury it. Before the
        // second starts, it imports the first one's authority as the README says.
        var small = await StartAsync("small", [.. args, "--max-ram", "1G"]);
        var authority = Path.Combine(_scratch.Path, "authority.pfx");
        Assert.Contains("jobqueue manager cert export ~/jobqueue-authority.pfx", readme, StringComparison.Ordinal);
        Assert.Contains("jobqueue manager cert import ~/jobqueue-authority.pfx", readme, StringComparison.Ordinal);
        var exported = await small.RunAsync("manager", "cert", "export", authority);
        Assert.True(exported.ExitCode == 0, exported.ToString());
        var bigHome = Path.Combine(_scratch.Path, "big");
        Directory.CreateDirectory(bigHome);
        var imported = await new CliRunner(bigHome).RunAsync("manager", "cert", "import", authority);
        Assert.True(imported.ExitCode == 0, imported.ToString());
        var big = await StartAsync("big", [.. args, "--max-ram", "8G"]);

        var jobs = Path.Combine(_scratch.Path, "cluster.jobs");
        await File.WriteAllLinesAsync(jobs, ["echo needs four\t{\"memory\":\"4G\"}", "echo needs too much\t{\"memory\":\"64G\"}"], Ct);
        var added = await small.RunAsync("add", "-f", jobs, "--rep-grp", "readme", "--cwd", _scratch.Path);
        Assert.True(added.ExitCode == 0, added.ToString());

        var done = await Eventually.Get(
            () => big.RunAsync("status", "--rep-grp", "readme", "--json"),
            r => r.ExitCode == 0 && r.Json.Count == 2 && r.Json.All(j => j.GetProperty("state").GetString() is "complete" or "buried"),
            TimeSpan.FromSeconds(90),
            "both jobs to finish");
        var states = done.Json.ToDictionary(j => j.GetProperty("cmd").GetString()!, j => (j.GetProperty("state").GetString(), j.GetProperty("failReason").GetString()));
        Assert.Equal(("complete", ""), states["echo needs four"]);
        Assert.Equal(("buried", FailReasons.Resource), states["echo needs too much"]);
    }

    private async Task<CliRunner> StartAsync(string name, string[] args)
    {
        var home = Path.Combine(_scratch.Path, name);
        Directory.CreateDirectory(home);
        var cli = new CliRunner(home);
        var started = await cli.RunAsync(["manager", "start", .. args]);
        Assert.True(started.ExitCode == 0, started.ToString());
        _managers.Add(cli);
        return cli;
    }

    [GeneratedRegex(@"jobqueue manager start (--Storage:Provider postgres [^\n`]*)")]
    private static partial Regex StartLine();
}
