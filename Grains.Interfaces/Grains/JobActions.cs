namespace JobQueue.Grains;

/// <summary>Runs a bulk action to its end: step after step from the cursor each step returns.</summary>
public static class JobActions
{
    /// <summary>Applies <paramref name="action"/> to every job <paramref name="filter"/> selects; returns how many changed.</summary>
    public static async Task<int> ApplyAllAsync(this IJobActionGrain grain, JobFilter filter, BulkAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grain);
        var total = 0;
        string? after = null;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var step = await grain.Apply(filter, action, after).ConfigureAwait(false);
            total += step.Affected;
            after = step.Next;
        }
        while (after is not null);
        return total;
    }
}
