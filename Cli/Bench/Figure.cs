using System.Text.Json;

namespace JobQueue.Cli.Bench;

/// <summary>One measured figure, printed as a JSON line.</summary>
internal sealed record Figure(string Name, double Value, string Unit, long Jobs)
{
    /// <summary>What the same run measured to compare with (e.g. the same operation on an empty queue).</summary>
    public double? Baseline { get; init; }

    /// <summary>What the baseline is.</summary>
    public string? BaselineName { get; init; }

    /// <summary>Value divided by baseline.</summary>
    public double? Ratio => Baseline is > 0 ? Math.Round(Value / Baseline.Value, 3) : null;

    /// <summary>The target from the issues, where there is one.</summary>
    public double? Target { get; init; }

    /// <summary>Whether the value meets the target (lower is better for times and memory, higher for rates).</summary>
    public bool? MeetsTarget => Target is null ? null : Unit.EndsWith("/s", StringComparison.Ordinal) ? Value >= Target : Value <= Target;

    public string Store { get; init; } = "";

    /// <summary>Where the time went, for figures that say (e.g. each manager's CPU share and commit latency).</summary>
    public IReadOnlyDictionary<string, double>? Breakdown { get; init; }

    public void Print() => Console.Out.WriteLine(JsonSerializer.Serialize(this, Cli.Json));
}
