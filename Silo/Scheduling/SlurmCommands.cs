using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace JobQueue.Silo.Scheduling;

/// <summary>Slurm's command-line tools (sbatch, squeue, scancel, sinfo), each call bounded in time.</summary>
public sealed class SlurmCommands
{
    private static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(30);

    /// <summary>A runner job as squeue shows it.</summary>
    /// <param name="Id">The Slurm job id.</param>
    /// <param name="Name">Its name.</param>
    /// <param name="State">PENDING, RUNNING, COMPLETING, ...</param>
    /// <param name="Reason">Why it is pending (Resources, Priority, ...), or "None".</param>
    public sealed record QueuedJob(string Id, string Name, string State, string Reason)
    {
        /// <summary>True while it is waiting to start.</summary>
        public bool Pending => State is "PENDING" or "CONFIGURING";

        /// <summary>True while it holds (or waits for) an allocation.</summary>
        public bool Active => Pending || State == "RUNNING";
    }

    /// <summary>A partition's node size and time limit, as sinfo shows it.</summary>
    /// <param name="Name">Its name.</param>
    /// <param name="IsDefault">True for the default partition.</param>
    /// <param name="MaxMinutes">Its time limit; int.MaxValue for none.</param>
    /// <param name="MemoryMb">A node's memory.</param>
    /// <param name="Cpus">A node's CPUs.</param>
    public sealed record Partition(string Name, bool IsDefault, int MaxMinutes, int MemoryMb, int Cpus);

    /// <summary>Throws <see cref="InvalidOperationException"/> with one line if a tool is missing or Slurm does not answer.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        foreach (var tool in new[] { "sbatch", "squeue", "scancel" })
        {
            await RunAsync(tool, ["--version"], null, cancellationToken).ConfigureAwait(false);
        }

        if ((await PartitionsAsync(cancellationToken).ConfigureAwait(false)).Count == 0)
        {
            throw new InvalidOperationException("sinfo lists no partition");
        }
    }

    /// <summary>Partitions and their nodes (one line per partition and node size).</summary>
    public async Task<IReadOnlyList<Partition>> PartitionsAsync(CancellationToken cancellationToken)
    {
        var output = await RunAsync("sinfo", ["-h", "-o", "%P|%l|%m|%c"], null, cancellationToken).ConfigureAwait(false);
        var result = new List<Partition>();
        foreach (var line in Lines(output))
        {
            var f = line.Split('|');
            if (f.Length == 4 && int.TryParse(f[2].TrimEnd('+'), CultureInfo.InvariantCulture, out var mem) && int.TryParse(f[3].TrimEnd('+'), CultureInfo.InvariantCulture, out var cpus))
            {
                result.Add(new Partition(f[0].TrimEnd('*'), f[0].EndsWith('*'), Minutes(f[1]), mem, cpus));
            }
        }

        return result;
    }

    /// <summary>The user's jobs whose names start with <paramref name="prefix"/>, in one squeue call.</summary>
    public async Task<IReadOnlyList<QueuedJob>> QueueAsync(string prefix, CancellationToken cancellationToken)
    {
        var output = await RunAsync("squeue", ["-h", "-u", Environment.UserName, "-o", "%i|%j|%T|%r"], null, cancellationToken).ConfigureAwait(false);
        return [.. Lines(output)
            .Select(l => l.Split('|'))
            .Where(f => f.Length == 4 && f[1].StartsWith(prefix, StringComparison.Ordinal))
            .Select(f => new QueuedJob(f[0], f[1], f[2], f[3]))];
    }

    /// <summary>Submits a batch script; returns the job id.</summary>
    public async Task<string> SubmitAsync(IEnumerable<string> args, string script, CancellationToken cancellationToken)
    {
        var output = await RunAsync("sbatch", ["--parsable", .. args], script, cancellationToken).ConfigureAwait(false);
        return output.Trim().Split(';')[0];
    }

    /// <summary>Cancels jobs; with <paramref name="signal"/>, sends it instead (TERM lets a runner release its job).</summary>
    public async Task CancelAsync(IReadOnlyCollection<string> ids, string? signal, CancellationToken cancellationToken)
    {
        if (ids.Count > 0)
        {
            await RunAsync("scancel", [.. signal is null ? [] : new[] { "--signal", signal, "--full" }, .. ids], null, cancellationToken).ConfigureAwait(false);
        }
    }

    private static IEnumerable<string> Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // Slurm time limits: "infinite", "MM", "MM:SS", "HH:MM:SS", "D-HH", "D-HH:MM" or "D-HH:MM:SS".
    private static int Minutes(string limit)
    {
        if (limit is "infinite" or "UNLIMITED" or "")
        {
            return int.MaxValue;
        }

        var days = 0;
        var dash = limit.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0)
        {
            days = int.Parse(limit[..dash], CultureInfo.InvariantCulture);
            limit = limit[(dash + 1)..];
        }

        var parts = limit.Split(':').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var minutes = dash > 0
            ? parts[0] * 60 + (parts.Length > 1 ? parts[1] : 0)
            : parts.Length switch { 1 => parts[0], 2 => parts[0], _ => parts[0] * 60 + parts[1] };
        return (days * 24 * 60) + minutes;
    }

    private static async Task<string> RunAsync(string tool, IEnumerable<string> args, string? stdin, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"{tool} was not found or cannot run: {ex.Message}", ex);
        }

        using (process)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(CallLimit);
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
            }

            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(limit.Token);
            var error = process.StandardError.ReadToEndAsync(limit.Token);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"{tool} did not answer within {CallLimit.TotalSeconds:F0} s");
            }

            if (process.ExitCode != 0)
            {
                var message = (await error.ConfigureAwait(false)).Trim();
                throw new InvalidOperationException($"{tool} failed (exit {process.ExitCode}): {message}");
            }

            return await output.ConfigureAwait(false);
        }
    }
}
