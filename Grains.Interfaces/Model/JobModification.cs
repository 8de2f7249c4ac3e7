namespace JobQueue;

/// <summary>
/// Changes to jobs that are not running (<c>jobqueue mod</c>): each value that is set replaces the job's own, as if it
/// had been added with it; memory, time, cores and limit groups move the job to the matching scheduler group.
/// </summary>
[GenerateSerializer, Immutable, Alias("JobQueue.JobModification")]
public sealed record JobModification
{
    /// <summary>New priority, 0-255.</summary>
    [Id(0)] public int? Priority { get; init; }

    /// <summary>New expected peak memory, MB; unless <see cref="Override"/> is given too, it wins over learning (override 2).</summary>
    [Id(1)] public int? RamMb { get; init; }

    /// <summary>New expected run time; as <see cref="RamMb"/>, it wins over learning unless <see cref="Override"/> says otherwise.</summary>
    [Id(2)] public TimeSpan? Time { get; init; }

    /// <summary>New number of cores.</summary>
    [Id(3)] public int? Cores { get; init; }

    /// <summary>New number of retries; failures so far still count against it.</summary>
    [Id(4)] public int? Retries { get; init; }

    /// <summary>New rep group.</summary>
    [Id(5)] public string? RepGroup { get; init; }

    /// <summary>New limit groups, replacing the old ones ("name", or "name:N" to set that limit too); empty: none.</summary>
    [Id(6)] public IReadOnlyList<string>? LimitGroups { get; init; }

    /// <summary>New override (0, 1 or 2).</summary>
    [Id(7)] public int? Override { get; init; }

    /// <summary>New dependency groups the job belongs to, replacing the old ones; empty: none.</summary>
    [Id(8)] public IReadOnlyList<string>? DepGroups { get; init; }

    /// <summary>New dependency groups the job waits on, replacing the old ones; empty: none.</summary>
    [Id(9)] public IReadOnlyList<string>? Deps { get; init; }

    /// <summary>New jobs the job waits on, replacing the old ones; empty: none.</summary>
    [Id(10)] public IReadOnlyList<JobRef>? CmdDeps { get; init; }

    /// <summary>True if the job's dependencies change.</summary>
    public bool ChangesDependencies => DepGroups is not null || Deps is not null || CmdDeps is not null;

    /// <summary>What a job waits on ("g:group", "k:key") after the change: the kinds of target given are replaced, the others kept.</summary>
    public IReadOnlyList<string> TargetsAfter(IReadOnlyList<string> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var groups = Deps is { } deps ? deps.Select(JobDependencies.GroupTarget) : targets.Where(t => t[0] == 'g');
        var jobs = CmdDeps is { } refs ? refs.Select(r => JobDependencies.JobTarget(r.Key)) : targets.Where(t => t[0] == 'k');
        return [.. groups.Concat(jobs).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>True when nothing would change.</summary>
    public bool IsEmpty => this == new JobModification();

    /// <summary>Every problem of the new values, each naming its field (checked as an add checks them).</summary>
    public IReadOnlyList<JobProblem> Problems()
    {
        var probe = new JobSpec
        {
            Cmd = "mod",
            Cwd = "/",
            RepGroup = RepGroup ?? JobQueueDefaults.RepGroup,
            RamMb = RamMb ?? 0,
            Time = Time ?? TimeSpan.Zero,
            Cores = Cores ?? 0,
            Override = Override ?? 0,
            Priority = Priority ?? 0,
            Retries = Retries ?? 0,
            LimitGroups = LimitGroups,
            DepGroups = DepGroups,
            Deps = Deps,
        };
        return [.. JobSpecValidator.Validate([probe]).Select(p => p with { Key = null })];
    }
}
