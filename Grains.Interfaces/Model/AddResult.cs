namespace JobQueue;

/// <summary>The outcome of an add: how many jobs were new and how many already existed incomplete.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.AddResult")]
public sealed record AddResult([property: Id(0)] int Added, [property: Id(1)] int Existed)
{
    /// <summary>Sums two outcomes.</summary>
    public static AddResult operator +(AddResult a, AddResult b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new AddResult(a.Added + b.Added, a.Existed + b.Existed);
    }

    /// <summary>Sums two outcomes.</summary>
    public static AddResult Add(AddResult a, AddResult b) => a + b;
}
