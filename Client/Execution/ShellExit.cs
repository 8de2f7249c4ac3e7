namespace JobQueue.Client.Execution;

/// <summary>How a command's shell ended: its exit status as a shell reports it (128 + n when killed by signal n; -1 if unknown) and the CPU time of it and of every descendant it waited for.</summary>
internal readonly record struct ShellExit(int ExitCode, TimeSpan CpuTime);
