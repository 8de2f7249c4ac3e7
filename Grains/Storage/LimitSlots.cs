namespace JobQueue.Grains.Storage;

/// <summary>
/// The slots of limit groups a job change takes or gives back. A job holds one slot of each of its limit groups from
/// the commit that leases it (reserve) to the commit that ends its lease, whichever that is: end, release, bury,
/// kill or lease expiry. Taking is part of the leasing commit, so no path can lease without a slot, and giving is
/// part of every commit that ends a lease, so no path can leak one.
/// </summary>
public static class LimitSlots
{
    /// <summary>The groups whose slot <paramref name="change"/> takes (it leases the job).</summary>
    public static IReadOnlyList<string> Taken(JobChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.After is { } after && after.State.IsLeased() && !change.Before.State.IsLeased()
            ? SchedulerGroup.LimitGroupsOf(after.Queue)
            : [];
    }

    /// <summary>The groups whose slot <paramref name="change"/> gives back (it ends the job's lease).</summary>
    public static IReadOnlyList<string> Given(JobChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Before.State.IsLeased() && change.After?.State.IsLeased() != true
            ? SchedulerGroup.LimitGroupsOf(change.Before.Queue)
            : [];
    }

    /// <summary>The net slots a batch of changes takes (+) or gives (-) per group, by name.</summary>
    public static SortedDictionary<string, long> Net(IEnumerable<JobChange> changes)
    {
        var net = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            foreach (var group in Taken(change))
            {
                net[group] = net.GetValueOrDefault(group) + 1;
            }

            foreach (var group in Given(change))
            {
                net[group] = net.GetValueOrDefault(group) - 1;
            }
        }

        return net;
    }
}
