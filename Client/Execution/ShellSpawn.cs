using System.ComponentModel;
using System.Runtime.InteropServices;

namespace JobQueue.Client.Execution;

/// <summary>
/// Starts a command's shell in one spawn (glibc's posix_spawn): in a session and process group of its own
/// (POSIX_SPAWN_SETSID), with SIGPIPE at its default disposition (POSIX_SPAWN_SETSIGDEF; the .NET runtime ignores it
/// and children would inherit that, so "yes | head" would end with "Broken pipe"), no signal blocked, stdin from
/// /dev/null and stdout/stderr into pipes. Before, this took three program starts (env, setsid, the shell).
/// </summary>
internal static partial class ShellSpawn
{
    private const int OCloexec = 0x80000;
    private const int ORdonly = 0;
    private const short SetSigDef = 0x04;
    private const short SetSigMask = 0x08;
    private const short SetSid = 0x80;
    private const int SigPipe = 13;

    // glibc's opaque types are 80 (file actions), 336 (attributes) and 128 (sigset) bytes; room to spare.
    private const int OpaqueSize = 1024;

    /// <summary>
    /// Starts <paramref name="path"/> with <paramref name="arguments"/> (argv, program name first); with
    /// <paramref name="pipeInput"/>, its stdin is a pipe the caller writes (<see cref="ShellProcess.StandardInput"/>).
    /// </summary>
    /// <exception cref="Win32Exception">The program could not be started (not found, not executable, no such directory).</exception>
    public static ShellProcess Start(string path, IReadOnlyList<string> arguments, string cwd, IEnumerable<string> environment, bool pipeInput = false)
    {
        var output = Pipe();
        var errors = Pipe();
        var input = pipeInput ? Pipe() : (Read: -1, Write: -1);
        var actions = Marshal.AllocHGlobal(OpaqueSize);
        var attributes = Marshal.AllocHGlobal(OpaqueSize);
        var signals = Marshal.AllocHGlobal(OpaqueSize);
        var argv = Strings(arguments);
        var envp = Strings([.. environment]);
        var (spawned, actionsMade, attributesMade) = (false, false, false);
        try
        {
            Check(FileActionsInit(actions));
            actionsMade = true;
            Check(pipeInput ? AddDup2(actions, input.Read, 0) : AddOpen(actions, 0, "/dev/null", ORdonly, 0));
            Check(AddDup2(actions, output.Write, 1));
            Check(AddDup2(actions, errors.Write, 2));
            Check(AddChdir(actions, cwd));
            Check(AttrInit(attributes));
            attributesMade = true;
            Check(AttrSetFlags(attributes, SetSid | SetSigDef | SetSigMask));
            Check(SigEmptySet(signals) == 0 ? 0 : Marshal.GetLastPInvokeError());
            Check(AttrSetSigMask(attributes, signals));
            Check(SigAddSet(signals, SigPipe) == 0 ? 0 : Marshal.GetLastPInvokeError());
            Check(AttrSetSigDefault(attributes, signals));
            var error = Spawn(out var pid, path, actions, attributes, argv, envp);
            if (error != 0)
            {
                throw new Win32Exception(error, $"cannot start {path}: {new Win32Exception(error).Message}");
            }

            spawned = true;
            return new ShellProcess(pid, output.Read, errors.Read, input.Write);
        }
        finally
        {
            // Destroying what was never made would free whatever the memory held.
            if (actionsMade)
            {
                _ = FileActionsDestroy(actions);
            }

            if (attributesMade)
            {
                _ = AttrDestroy(attributes);
            }

            Marshal.FreeHGlobal(actions);
            Marshal.FreeHGlobal(attributes);
            Marshal.FreeHGlobal(signals);
            Free(argv);
            Free(envp);
            _ = Close(output.Write);
            _ = Close(errors.Write);
            if (pipeInput)
            {
                _ = Close(input.Read);
            }

            if (!spawned)
            {
                _ = Close(output.Read);
                _ = Close(errors.Read);
                if (pipeInput)
                {
                    _ = Close(input.Write);
                }
            }
        }
    }

    private static (int Read, int Write) Pipe()
    {
        var fds = new int[2];
        if (Pipe2(fds, OCloexec) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }

        return (fds[0], fds[1]);
    }

    private static void Check(int error)
    {
        if (error != 0)
        {
            throw new Win32Exception(error);
        }
    }

    private static nint[] Strings(IReadOnlyList<string> values)
    {
        var pointers = new nint[values.Count + 1];
        for (var i = 0; i < values.Count; i++)
        {
            pointers[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
        }

        return pointers;
    }

    private static void Free(nint[] pointers)
    {
        foreach (var pointer in pointers)
        {
            Marshal.FreeCoTaskMem(pointer);
        }
    }

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(int[] fds, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "posix_spawn", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Spawn(out int pid, string path, nint actions, nint attributes, nint[] argv, nint[] envp);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int FileActionsInit(nint actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int FileActionsDestroy(nint actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int AddOpen(nint actions, int fd, string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int AddDup2(nint actions, int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int AddChdir(nint actions, string path);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int AttrInit(nint attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int AttrDestroy(nint attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int AttrSetFlags(nint attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int AttrSetSigMask(nint attributes, nint signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int AttrSetSigDefault(nint attributes, nint signals);

    [LibraryImport("libc", EntryPoint = "sigemptyset", SetLastError = true)]
    private static partial int SigEmptySet(nint signals);

    [LibraryImport("libc", EntryPoint = "sigaddset", SetLastError = true)]
    private static partial int SigAddSet(nint signals, int signal);
}
