namespace JobQueue;

/// <summary>The mean and standard deviation of a measure over a group's runs.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.Spread")]
public readonly record struct Spread([property: Id(0)] double Mean, [property: Id(1)] double Sd)
{
    /// <summary>The spread of <paramref name="n"/> values from their sum and sum of squares (population deviation).</summary>
    public static Spread From(long n, double sum, double squares)
    {
        if (n <= 0)
        {
            return default;
        }

        var mean = sum / n;

        // Sums kept by adding and subtracting can leave a hair below zero: no deviation then.
        var variance = Math.Max(0, (squares / n) - (mean * mean));
        return new Spread(mean, Math.Sqrt(variance));
    }
}
