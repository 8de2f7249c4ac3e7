namespace JobQueue;

/// <summary>Checks and names of dependency groups: the groups a job belongs to (dep_grps) and waits on (deps).</summary>
public static class JobDependencies
{
    /// <summary>Why <paramref name="name"/> cannot name a dependency group, or null if it can.</summary>
    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "is empty"
        : name.Length > JobQueueDefaults.MaxNameLength ? $"is longer than {JobQueueDefaults.MaxNameLength} characters"
        : name.Any(c => c is ',' or '\n' or '\0') ? $"\"{name}\" may not hold ',', a newline or a NUL byte"
        : null;

    /// <summary>The dependency target of group <paramref name="group"/>: done once no member is incomplete.</summary>
    public static string GroupTarget(string group) => "g:" + group;

    /// <summary>The dependency target of the job with key <paramref name="key"/>: done once it completed.</summary>
    public static string JobTarget(string key) => "k:" + key;

    /// <summary>Every target of a job that waits on <paramref name="groups"/> and the jobs <paramref name="cmdDeps"/>, without repeats.</summary>
    public static IReadOnlyList<string> Targets(IEnumerable<string>? groups, IEnumerable<JobRef>? cmdDeps) =>
        [.. (groups ?? []).Select(GroupTarget).Concat((cmdDeps ?? []).Select(r => JobTarget(r.Key))).Distinct(StringComparer.Ordinal)];
}
