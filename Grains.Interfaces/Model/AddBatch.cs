namespace JobQueue;

/// <summary>A batch of jobs to add; environments travel once per batch, keyed by content.</summary>
/// <param name="Jobs">The jobs.</param>
/// <param name="EnvKeys">Each job's environment key.</param>
/// <param name="Envs">The environments, by key.</param>
/// <param name="FirstIndex">The index of the first job in the whole add, for error messages.</param>
/// <param name="SkipCompleted">Jobs that already completed count as existed instead of running again.</param>
[GenerateSerializer, Immutable, Alias("JobQueue.AddBatch")]
public sealed record AddBatch(
    [property: Id(0)] IReadOnlyList<JobSpec> Jobs,
    [property: Id(1)] IReadOnlyList<string> EnvKeys,
    [property: Id(2)] IReadOnlyDictionary<string, byte[]> Envs,
    [property: Id(3)] int FirstIndex,
    [property: Id(4)] bool SkipCompleted = false);
