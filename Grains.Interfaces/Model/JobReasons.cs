using System.Globalization;

namespace JobQueue;

/// <summary>"Why is my job not running": one line for each reason that holds, from the job's record and what the manager knows.</summary>
public static class JobReasons
{
    /// <summary>
    /// The reasons <paramref name="job"/> is where it is; <paramref name="ahead"/> is how many ready jobs of its scheduler
    /// group would be handed out before it, when known.
    /// </summary>
    public static IReadOnlyList<string> Explain(Job job, WhyContext context, int? ahead = null, DependencyWait? wait = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(context);
        return job.State switch
        {
            JobState.Complete => [$"it completed (exit code {job.ExitCode}) at {Time(job.EndedAt)}"],
            JobState.Running => [$"it is running on {job.Host} ({(job.Pid > 0 ? $"pid {job.Pid}" : "starting; its pid is not reported yet")}) since {Time(job.StartedAt)}"],
            JobState.Reserved => [$"runner {job.ReservedBy} reserved it and is about to start it"],
            JobState.Buried => [$"it is buried after failing: {(job.FailReason.Length > 0 ? job.FailReason : $"exit code {job.ExitCode}")}; \"jobqueue retry\" runs it again"],
            JobState.Delayed => [Delayed(job)],
            JobState.Dependent => wait is { Note.Length: > 0 } ? [wait.Note, Dependent(wait)] : [Dependent(wait)],
            JobState.Ready => Ready(job, context, ahead),
            _ => [$"it is {job.State.ToName()}"],
        };
    }

    private static string Dependent(DependencyWait? wait)
    {
        if (wait is null)
        {
            return "it waits for its dependencies to complete (\"jobqueue why KEY\" says which)";
        }

        var buried = wait.Unmet.Sum(u => u.Buried);
        var what = string.Join(", ", wait.Unmet.Select(u => u.Buried > 0 ? $"{u.Name} ({u.Incomplete} incomplete, {u.Buried} buried)" : $"{u.Name} ({u.Incomplete} incomplete)"));
        return $"it waits on {wait.Unmet.Count} of its {wait.Total} dependencies: {what}"
            + (buried > 0 ? $"; {(buried == 1 ? "1 buried job among them keeps" : $"{buried} buried jobs among them keep")} it waiting until retried or removed" : "");
    }

    private static string Delayed(Job job)
    {
        var failures = Math.Max(1, job.Retries + 1 - job.UntilBuried);
        var reason = job.FailReason.Length > 0 ? job.FailReason : $"exit code {job.ExitCode}";
        return $"it is delayed until {Time(job.DueAt)} after failure {failures} of {job.Retries + 1} ({reason})";
    }

    private static List<string> Ready(Job job, WhyContext context, int? ahead)
    {
        var reasons = new List<string>();
        switch (context.Mode)
        {
            case null:
                reasons.Add("no manager is running: nothing is handed out (\"jobqueue manager start\")");
                return reasons;
            case ModeNames.Paused:
                reasons.Add("the manager is paused: nothing is handed out until \"jobqueue manager resume\"");
                break;
            case ModeNames.Draining:
                reasons.Add("the manager is draining: it starts nothing new");
                break;
        }

        foreach (var group in context.Limits.Where(l => job.LimitGroups.Contains(l.Name) && l.Limit is { } limit && l.Running >= limit))
        {
            reasons.Add($"limit group {group.Name} is full ({group.Running}/{group.Limit})");
        }

        var offered = context.RunnerSizes.Where(s => s.RamMb > 0 || s.Cores > 0).ToList();
        if (context.RunnerSizes.Count > 0 && offered.Count == 0)
        {
            reasons.Add($"no manager starts runners (scheduler none): start one with \"jobqueue runner --group {job.Queue}\"");
        }
        else if (offered.Count > 0 && !offered.Any(s => s.Fits(job.RamMb, job.Cores)))
        {
            var largest = offered.OrderByDescending(s => s.RamMb).First();
            reasons.Add($"no runner can take it: it needs {job.RamMb} MB and {job.Cores} cores; the largest runner gets {largest.RamMb} MB and {offered.Max(s => s.Cores)} cores");
        }

        if (ahead > 0)
        {
            reasons.Add($"{ahead.Value.ToString(CultureInfo.InvariantCulture)}{(ahead >= JobQueueDefaults.MaxAheadCount ? "+" : "")} ready jobs of its scheduler group go first (higher priority or added earlier): the runners are busy with them");
        }

        if (context.SchedulerNotes.TryGetValue(job.Queue, out var note))
        {
            reasons.Add($"the scheduler holds its runner pending: {note}");
        }

        if (reasons.Count == 0)
        {
            reasons.Add("it is ready and waits for a runner of its scheduler group to ask for it");
        }

        return reasons;
    }

    private static string Time(DateTimeOffset? at) =>
        at is { } t ? t.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "an unknown time";
}
