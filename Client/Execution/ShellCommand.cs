using System.ComponentModel;
using System.Diagnostics;

namespace JobQueue.Client.Execution;

/// <summary>How a job's command is started: under a shell, in its directory and environment, in a session of its own.</summary>
internal static class ShellCommand
{
    private const string SetSid = "/usr/bin/setsid";

    // The .NET runtime ignores SIGPIPE and children inherit that, which a shell cannot undo: "yes | head" would
    // then end with "yes: Broken pipe". env restores the default disposition before the shell starts.
    private static readonly Lazy<bool> EnvRestoresSigPipe = new(() =>
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("/usr/bin/env", ["--default-signal=PIPE", "true"]) { UseShellExecute = false })!;
            probe.WaitForExit();
            return probe.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false;
        }
    });

    /// <summary>True when the command runs with pipefail (it has a pipe and the shell knows the option).</summary>
    public static bool UsesPipefail(Job job, string shell) =>
        job.Cmd.Contains('|', StringComparison.Ordinal) && Path.GetFileName(shell) is "bash" or "zsh" or "ksh";

    /// <summary>The process to start for <paramref name="job"/>.</summary>
    public static ProcessStartInfo StartInfo(Job job, string shell)
    {
        var start = new ProcessStartInfo(EnvRestoresSigPipe.Value ? "/usr/bin/env" : shell)
        {
            WorkingDirectory = job.Cwd,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (EnvRestoresSigPipe.Value)
        {
            start.ArgumentList.Add("--default-signal=PIPE");

            // Its own session and process group: a Ctrl-C at the terminal reaches the runner (which releases the job),
            // not the command; and the whole group can be killed when the runner dies or the command ends.
            if (File.Exists(SetSid))
            {
                start.ArgumentList.Add(SetSid);
            }

            start.ArgumentList.Add(shell);
        }

        start.ArgumentList.Add("-c");

        // As in the model: with a pipe, a failure anywhere in it fails the command (bash, zsh and ksh know pipefail).
        start.ArgumentList.Add(UsesPipefail(job, shell) ? "set -o pipefail; " + job.Cmd : job.Cmd);
        if (job.Env is { Count: > 0 } env)
        {
            start.Environment.Clear();
            foreach (var entry in env)
            {
                var eq = entry.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    start.Environment[entry[..eq]] = entry[(eq + 1)..];
                }
            }
        }

        return start;
    }
}
