using System.Diagnostics;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.FrontDoor;

/// <summary>
/// The README's first command, exactly as a new user types it: a fresh clone of HEAD, a fresh home, nothing built.
/// A green suite must never again hide a broken front door.
/// </summary>
public sealed class QuickStartTests : IDisposable
{
    private readonly TempDirectory _scratch = new("frontdoor");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task The_quick_start_runs_from_a_fresh_clone_with_a_fresh_home()
    {
        var clone = Path.Combine(_scratch.Path, "clone");
        var home = Path.Combine(_scratch.Path, "home");
        Directory.CreateDirectory(home);
        var cloned = await RunAsync(_scratch.Path, home, TimeSpan.FromMinutes(2), "git", "clone", "--quiet", Repository.Root, clone);
        Assert.True(cloned.ExitCode == 0, cloned.ToString());

        // The README's quick-start line, run where the README says: in the clone, with nothing but the SDK.
        var readme = await File.ReadAllTextAsync(Path.Combine(clone, "README.md"), TestContext.Current.CancellationToken);
        Assert.Contains("./jobqueue run examples/quickstart.jobs", readme, StringComparison.Ordinal);
        var run = await RunAsync(clone, home, TimeSpan.FromMinutes(8), "./jobqueue", "run", "examples/quickstart.jobs");

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("summary", run.Stdout, StringComparison.Ordinal);
        foreach (var group in new[] { "numbers", "compress", "sleepers" })
        {
            Assert.Contains(group, run.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("some jobs failed", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("ls /no/such/quickstart/file", run.Stdout, StringComparison.Ordinal);

        // The advice it ends with works when followed: status reads the finished run without a manager.
        var status = await RunAsync(clone, home, TimeSpan.FromMinutes(2), "./jobqueue", "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("compress", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("reading", status.Stderr, StringComparison.Ordinal);
    }

    private static Task<CliRunner.Result> RunAsync(string directory, string home, TimeSpan within, string program, params string[] args)
    {
        // "./x" means the directory's own x (Process.Start would resolve it against this process's directory).
        var start = new ProcessStartInfo(program.StartsWith("./", StringComparison.Ordinal) ? Path.Combine(directory, program[2..]) : program, args)
        {
            WorkingDirectory = directory,
        };

        // A fresh home for both jobqueue and the user; the NuGet cache is the machine's, as on any developer's machine.
        start.Environment["JOBQUEUE_HOME"] = Path.Combine(home, ".jobqueue");
        start.Environment["HOME"] = home;
        start.Environment["NUGET_PACKAGES"] = NuGetCache();
        return ProgramRun.RunAsync(start, within);
    }

    private static string NuGetCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
