namespace JobQueue.Tests.Chaos;

/// <summary>One line a recorded command wrote: its job, the event (S, E or OVERLAP), its shell's pid, and when.</summary>
public sealed record Run(string Id, string Event, int Pid, DateTimeOffset At);
