using System.IO.Pipes;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace JobQueue.Client.Execution;

/// <summary>
/// A command's shell started by <see cref="ShellSpawn"/>: its output pipes, its end (exit status as a shell reports
/// it, and the CPU time of it and every descendant it waited for, from wait4), and a kill of its whole session that
/// can never hit an unrelated process (the leader's pid is signalled only while it is unreaped).
/// </summary>
internal sealed partial class ShellProcess : IDisposable
{
    private const int PPid = 1;
    private const int WExited = 4;
    private const int WNoWait = 0x01000000;
    private const int EIntr = 4;
    private const int SigInfoSize = 128;
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource<ShellExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _reaped;

    public ShellProcess(int pid, int outputFd, int errorFd, int inputFd = -1)
    {
        Id = pid;
        StandardOutput = new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(outputFd, ownsHandle: true));
        StandardError = new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(errorFd, ownsHandle: true));
        StandardInput = inputFd < 0 ? null : new AnonymousPipeClientStream(PipeDirection.Out, new SafePipeHandle(inputFd, ownsHandle: true));
        new Thread(Wait) { IsBackground = true, Name = "jobqueue command wait" }.Start();
    }

    /// <summary>The shell's pid, which also names its session and process group.</summary>
    public int Id { get; }

    public Stream StandardOutput { get; }

    public Stream StandardError { get; }

    /// <summary>The write end of its stdin when it was started with one; null when its stdin is /dev/null.</summary>
    public Stream? StandardInput { get; }

    /// <summary>Completes once the shell has exited and been reaped.</summary>
    public Task<ShellExit> Exited => _exited.Task;

    /// <summary>Kills the whole process group, and the shell itself while it has not been reaped.</summary>
    public void KillTree()
    {
        lock (_lock)
        {
            ProcessGroups.Kill(Id, includeLeader: !_reaped);
        }
    }

    public void Dispose()
    {
        StandardOutput.Dispose();
        StandardError.Dispose();
        StandardInput?.Dispose();
    }

    /// <summary>The exit status as a shell reports it: the code, or 128 + the signal that killed it.</summary>
    private static int ShellStatus(int status) => (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);

    private void Wait()
    {
        try
        {
            // Wait without reaping, then reap under the lock: a kill never races the pid being freed for reuse.
            var info = Marshal.AllocHGlobal(SigInfoSize);
            try
            {
                while (WaitId(PPid, Id, info, WExited | WNoWait) != 0 && Marshal.GetLastPInvokeError() == EIntr)
                {
                }
            }
            finally
            {
                Marshal.FreeHGlobal(info);
            }

            lock (_lock)
            {
                int reaped;
                int status;
                RUsage usage;
                while ((reaped = Wait4(Id, out status, 0, out usage)) < 0 && Marshal.GetLastPInvokeError() == EIntr)
                {
                }

                _reaped = true;

                // Someone else reaped it (a process that starts with SIGCHLD ignored reaps every child): the status is
                // lost, which counts as a failure rather than a success nobody saw.
                _exited.TrySetResult(reaped == Id ? new ShellExit(ShellStatus(status), usage.CpuTime) : new ShellExit(-1, TimeSpan.Zero));
            }
        }
        catch (Exception ex)
        {
            _exited.TrySetException(ex);
        }
    }

    [LibraryImport("libc", EntryPoint = "waitid", SetLastError = true)]
    private static partial int WaitId(int idType, int id, nint info, int options);

    [LibraryImport("libc", EntryPoint = "wait4", SetLastError = true)]
    private static partial int Wait4(int pid, out int status, int options, out RUsage usage);
}
