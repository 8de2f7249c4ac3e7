using System.Diagnostics;

namespace JobQueue.Tests.Infrastructure;

/// <summary>The single-node Slurm that ./test.sh brings up (scripts/slurm-up.sh), seen through its own commands.</summary>
public static class SlurmCluster
{
    /// <summary>Fails clearly when the suite runs without the Slurm that ./test.sh starts.</summary>
    public static void Require()
    {
        if (Environment.GetEnvironmentVariable("SLURM_CONF") is not { Length: > 0 })
        {
            throw new InvalidOperationException("SLURM_CONF is not set: run the tests through ./test.sh, which starts Slurm");
        }
    }

    /// <summary>The user's jobs whose names start with <paramref name="prefix"/>: (id, state).</summary>
    public static async Task<IReadOnlyList<(string Id, string State)>> JobsAsync(string prefix)
    {
        var output = await RunAsync("squeue", "-h", "-u", Environment.UserName, "-o", "%i|%j|%T");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('|'))
            .Where(f => f.Length == 3 && f[1].StartsWith(prefix, StringComparison.Ordinal))
            .Select(f => (f[0], f[2]))];
    }

    /// <summary>The fields of <c>scontrol show job ID</c> ("Key=Value" pairs).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ShowJobAsync(string id)
    {
        var output = await RunAsync("scontrol", "-o", "show", "job", id);
        return output.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
    }

    /// <summary>Runs a Slurm command and returns its output.</summary>
    public static async Task<string> RunAsync(string tool, params string[] args)
    {
        var result = await ProgramRun.RunAsync(new ProcessStartInfo(tool, args), TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, $"{tool} {string.Join(' ', args)}: {result.Stderr}");
        return result.Stdout;
    }
}
