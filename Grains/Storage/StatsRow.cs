namespace JobQueue.Grains.Storage;

/// <summary>One row of the statistics table: a count group's measured runs.</summary>
public sealed record StatsRow(CountKey Key, RunTotals Totals);
