using System.ComponentModel;
using System.Globalization;

namespace JobQueue.Client.Execution;

/// <summary>
/// Makes a command die with its runner, however the runner dies (kill -9 included), so that a job whose lease then
/// expires can never run twice at once. One watcher process per runner, in a session of its own, learns the process
/// group of each running command through a pipe; when the pipe closes because the runner is gone, it kills every
/// group still registered. The pipe's end in the runner is close-on-exec, so commands never hold it open. The watcher is
/// spawned as commands are (<see cref="ShellSpawn"/>), not with System.Diagnostics.Process: once that has started a
/// child, .NET looks at its children on every SIGCHLD, and with a command ending every few milliseconds that took most
/// of a runner's CPU.
/// </summary>
internal sealed class OrphanGuard
{
    // Reads "+ PGID" and "- PGID" lines until end of input, then kills what is left.
    private const string Script = """
        exec >/dev/null 2>&1
        declare -A groups
        while read -r op id; do
          case "$op" in
            +) groups[$id]=1 ;;
            -) unset "groups[$id]" ;;
          esac
        done
        for id in "${!groups[@]}"; do kill -KILL -- "-$id" "$id"; done
        """;

    private static readonly Lazy<OrphanGuard?> s_instance = new(Start);
    private readonly StreamWriter _pipe;
    private readonly Lock _lock = new();

    private OrphanGuard(StreamWriter pipe) => _pipe = pipe;

    /// <summary>
    /// Starts the watcher if it is not running yet. Called before a command is spawned: were the watcher started only
    /// to register the first command, a runner killed while it started (which takes a while on a loaded machine)
    /// would leave that command running, unregistered.
    /// </summary>
    public static void EnsureStarted() => _ = s_instance.Value;

    /// <summary>Watches the group led by <paramref name="leaderPid"/> until <see cref="Forget"/>.</summary>
    public static void Watch(int leaderPid) => s_instance.Value?.Send('+', leaderPid);

    /// <summary>Stops watching the group (its command ended and was cleaned up).</summary>
    public static void Forget(int leaderPid) => s_instance.Value?.Send('-', leaderPid);

    private static OrphanGuard? Start()
    {
        try
        {
            // Its own session (as every spawned shell): a signal to the runner's group never reaches it.
            var watcher = ShellSpawn.Start("/bin/bash", ["bash", "-c", Script], "/", [], pipeInput: true);
            watcher.StandardOutput.Dispose();
            watcher.StandardError.Dispose();
            return new OrphanGuard(new StreamWriter(watcher.StandardInput!) { AutoFlush = true });
        }
        catch (Win32Exception)
        {
            // Without bash commands still run; they just do not die with a runner that is killed.
            return null;
        }
    }

    private void Send(char op, int pid)
    {
        lock (_lock)
        {
            try
            {
                _pipe.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{op} {pid}"));
            }
            catch (IOException)
            {
                // The watcher is gone (someone killed it); nothing more can be done from here.
            }
        }
    }
}
