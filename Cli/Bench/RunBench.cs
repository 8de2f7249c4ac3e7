using System.Diagnostics;
using JobQueue.Grains.Storage;

namespace JobQueue.Cli.Bench;

/// <summary>
/// jobqueue bench run: N <c>true</c> commands end to end through <c>jobqueue run</c> (a fresh home, its own manager
/// and local runners, as a user meets it), against <c>xargs -P cores</c> running the same commands in the same run.
/// </summary>
internal static class RunBench
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(30);

    public static async Task RunAsync(int jobs, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("jobqueue-bench-run-");
        try
        {
            var cores = Environment.ProcessorCount;
            var xargs = await TimeAsync("sh", ["-c", $"seq {jobs} | xargs -P {cores} -I{{}} sh -c true"], directory.FullName, null, cancellationToken).ConfigureAwait(false);

            // Commands run under bash (pipefail), which starts slower than sh: the same with bash shows that floor.
            var xargsBash = await TimeAsync("sh", ["-c", $"seq {jobs} | xargs -P {cores} -I{{}} bash -c true"], directory.FullName, null, cancellationToken).ConfigureAwait(false);
            var file = Path.Combine(directory.FullName, "true.jobs");
            await File.WriteAllLinesAsync(file, Enumerable.Range(1, jobs).Select(i => $"true # {i}"), cancellationToken).ConfigureAwait(false);
            var home = Path.Combine(directory.FullName, "home");
            var run = await TimeAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "jobqueue.dll"), "run", file], directory.FullName, home, cancellationToken).ConfigureAwait(false);
            new Figure("run_true_commands", Math.Round(run.Elapsed.TotalSeconds, 2), "s", jobs)
            {
                Store = JobStoreProviders.Sqlite,
                Baseline = Math.Round(xargs.Elapsed.TotalSeconds, 2),
                BaselineName = $"xargs_-P_{cores}",
                Target = Math.Round(xargs.Elapsed.TotalSeconds * 1.5, 2), // at most 1.5 times xargs
                Breakdown = new Dictionary<string, double>
                {
                    ["cpu_seconds"] = Math.Round(run.CpuSeconds, 2),
                    ["xargs_cpu_seconds"] = Math.Round(xargs.CpuSeconds, 2),
                    ["xargs_bash_seconds"] = Math.Round(xargsBash.Elapsed.TotalSeconds, 2),
                    ["cores"] = cores,
                },
            }.Print();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Runs a program to its end; its wall time and the CPU time of it and all it waited for.</summary>
    private static async Task<(TimeSpan Elapsed, double CpuSeconds)> TimeAsync(string program, IReadOnlyList<string> arguments, string cwd, string? home, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = cwd,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (home is not null)
        {
            start.Environment["JOBQUEUE_HOME"] = home;
        }

        var cpuBefore = ProcessTree.ReapedChildrenCpuTime();
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Limit);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var elapsed = watch.Elapsed;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await errors.ConfigureAwait(false)}{await output.ConfigureAwait(false)}");
        }

        return (elapsed, (ProcessTree.ReapedChildrenCpuTime() - cpuBefore).TotalSeconds);
    }
}
