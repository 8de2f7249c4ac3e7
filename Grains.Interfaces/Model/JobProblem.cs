namespace JobQueue;

/// <summary>One problem with one job of a batch: its index, key and the offending field.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.JobProblem")]
public sealed record JobProblem(
    [property: Id(0)] int Index,
    [property: Id(1)] string? Key,
    [property: Id(2)] string Field,
    [property: Id(3)] string Problem)
{
    /// <inheritdoc />
    public override string ToString() =>
        Key is null ? $"job {Index}: {Field} {Problem}" : $"job {Index} ({Key}): {Field} {Problem}";
}
