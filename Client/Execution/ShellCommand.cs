using System.Collections;

namespace JobQueue.Client.Execution;

/// <summary>How a job's command is started: under a shell, in its directory and environment, in a session of its own.</summary>
internal static class ShellCommand
{
    private const string DefaultPath = "/usr/local/bin:/usr/bin:/bin";

    /// <summary>True when the command runs with pipefail (it has a pipe and the shell knows the option).</summary>
    public static bool UsesPipefail(Job job, string shell) =>
        job.Cmd.Contains('|', StringComparison.Ordinal) && Path.GetFileName(shell) is "bash" or "zsh" or "ksh";

    /// <summary>
    /// Starts <paramref name="job"/>'s command under <paramref name="shell"/>, in a session of its own: a Ctrl-C at the
    /// terminal reaches the runner (which releases the job), not the command; and the whole group can be killed when
    /// the runner dies or the command ends.
    /// </summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The shell could not be started.</exception>
    public static ShellProcess Start(Job job, string shell)
    {
        var environment = Environment(job);

        // As in the model: with a pipe, a failure anywhere in it fails the command (bash, zsh and ksh know pipefail).
        var text = UsesPipefail(job, shell) ? "set -o pipefail; " + job.Cmd : job.Cmd;
        return ShellSpawn.Start(Resolve(shell, environment), [shell, "-c", text], job.Cwd, environment);
    }

    /// <summary>The job's own environment when it has one, else this process's.</summary>
    private static List<string> Environment(Job job)
    {
        if (job.Env is { Count: > 0 } env)
        {
            return [.. env.Where(e => e.IndexOf('=', StringComparison.Ordinal) > 0)];
        }

        return [.. System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().Select(e => $"{e.Key}={e.Value}")];
    }

    /// <summary>The shell's file, found on the command's PATH as the shell itself would look for a command.</summary>
    private static string Resolve(string shell, List<string> environment)
    {
        if (shell.Contains('/', StringComparison.Ordinal))
        {
            return shell;
        }

        var path = environment.FirstOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..] ?? DefaultPath;
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, shell);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return shell;
    }
}
