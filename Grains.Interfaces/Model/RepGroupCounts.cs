namespace JobQueue;

/// <summary>Counts of a rep group's jobs by state.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.RepGroupCounts")]
public sealed record RepGroupCounts
{
    /// <summary>The rep group.</summary>
    [Id(0)] public required string RepGroup { get; init; }

    /// <summary>Jobs waiting out a delay.</summary>
    [Id(1)] public long Delayed { get; init; }

    /// <summary>Jobs ready to run.</summary>
    [Id(2)] public long Ready { get; init; }

    /// <summary>Jobs reserved by a runner but not started.</summary>
    [Id(3)] public long Reserved { get; init; }

    /// <summary>Jobs running.</summary>
    [Id(4)] public long Running { get; init; }

    /// <summary>Jobs buried.</summary>
    [Id(5)] public long Buried { get; init; }

    /// <summary>Runs completed.</summary>
    [Id(6)] public long Complete { get; init; }

    /// <summary>Jobs waiting for their dependencies.</summary>
    [Id(7)] public long Dependent { get; init; }

    /// <summary>The counts of <paramref name="groups"/> added up, under the name <paramref name="name"/>.</summary>
    public static RepGroupCounts Sum(IReadOnlyCollection<RepGroupCounts> groups, string name = "")
    {
        ArgumentNullException.ThrowIfNull(groups);
        return new RepGroupCounts
        {
            RepGroup = name,
            Dependent = groups.Sum(g => g.Dependent),
            Delayed = groups.Sum(g => g.Delayed),
            Ready = groups.Sum(g => g.Ready),
            Reserved = groups.Sum(g => g.Reserved),
            Running = groups.Sum(g => g.Running),
            Buried = groups.Sum(g => g.Buried),
            Complete = groups.Sum(g => g.Complete),
        };
    }

    /// <summary>All jobs not complete.</summary>
    public long Incomplete => Dependent + Delayed + Ready + Reserved + Running + Buried;

    /// <summary>The count for one state.</summary>
    public long this[JobState state] => state switch
    {
        JobState.Dependent => Dependent,
        JobState.Delayed => Delayed,
        JobState.Ready => Ready,
        JobState.Reserved => Reserved,
        JobState.Running => Running,
        JobState.Buried => Buried,
        JobState.Complete => Complete,
        _ => 0,
    };
}
