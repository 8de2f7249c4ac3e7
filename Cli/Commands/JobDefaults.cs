namespace JobQueue.Cli;

/// <summary>The options every job of an add gets unless its line says otherwise.</summary>
public sealed record JobDefaults
{
    /// <summary>The directory commands run in.</summary>
    public required string Cwd { get; init; }

    /// <summary>The reporting group.</summary>
    public string RepGroup { get; init; } = JobQueueDefaults.RepGroup;

    /// <summary>The group whose runs inform requirements; null: the command's first word.</summary>
    public string? ReqGroup { get; init; }

    /// <summary>Expected peak memory in MB; 0: learned or default.</summary>
    public int RamMb { get; init; }

    /// <summary>Expected run time; zero: learned or default.</summary>
    public TimeSpan Time { get; init; }

    /// <summary>Cores each command uses.</summary>
    public int Cores { get; init; }

    /// <summary>How the given memory and time relate to learned values (0, 1 or 2).</summary>
    public int Override { get; init; }

    /// <summary>0-255; higher runs first.</summary>
    public int Priority { get; init; }

    /// <summary>Retries of a failing command before it is buried.</summary>
    public int Retries { get; init; } = JobQueueDefaults.Retries;

    /// <summary>Variables added to (or replacing in) the adding shell's environment.</summary>
    public IReadOnlyList<string> EnvOverrides { get; init; } = [];

    /// <summary>Limit groups ("name" or "name:N"); null: none.</summary>
    public IReadOnlyList<string>? LimitGroups { get; init; }

    /// <summary>Dependency groups the jobs belong to; null: none.</summary>
    public IReadOnlyList<string>? DepGroups { get; init; }

    /// <summary>Dependency groups the jobs wait on; null: none.</summary>
    public IReadOnlyList<string>? Deps { get; init; }
}
