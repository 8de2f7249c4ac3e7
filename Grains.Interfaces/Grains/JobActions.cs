namespace JobQueue.Grains;

/// <summary>Runs a bulk action to its end: step after step from the cursor each step returns.</summary>
public static class JobActions
{
    /// <summary>Applies <paramref name="action"/> to every job <paramref name="filter"/> selects; returns how many changed.</summary>
    public static Task<int> ApplyAllAsync(this IJobActionGrain grain, JobFilter filter, BulkAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grain);
        return AllStepsAsync(after => grain.Apply(filter, action, after), cancellationToken);
    }

    /// <summary>Applies <paramref name="changes"/> to every job <paramref name="filter"/> selects that is not leased or complete; returns how many changed.</summary>
    public static Task<int> ModifyAllAsync(this IJobActionGrain grain, JobFilter filter, JobModification changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grain);
        return AllStepsAsync(after => grain.Modify(filter, changes, after), cancellationToken);
    }

    private static async Task<int> AllStepsAsync(Func<string?, Task<BulkResult>> step, CancellationToken cancellationToken)
    {
        var total = 0;
        string? after = null;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var done = await step(after).ConfigureAwait(false);
            total += done.Affected;
            after = done.Next;
        }
        while (after is not null);
        return total;
    }
}
