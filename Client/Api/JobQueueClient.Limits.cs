namespace JobQueue.Client;

/// <summary>Limit groups: at most N jobs of a group reserved or running at once, across every manager of a cluster.</summary>
public sealed partial class JobQueueClient
{
    /// <summary>Sets the limit of limit group <paramref name="name"/>: at most <paramref name="limit"/> of its jobs reserved or running at once.</summary>
    public Task SetLimitAsync(string name, int limit, CancellationToken cancellationToken = default) =>
        Call("SetLimit", Server.SetLimit(name, limit), cancellationToken);

    /// <summary>Removes the limit of limit group <paramref name="name"/>: its jobs run as resources allow.</summary>
    public Task RemoveLimitAsync(string name, CancellationToken cancellationToken = default) =>
        Call("RemoveLimit", Server.SetLimit(name, null), cancellationToken);

    /// <summary>The limit groups that have a limit or jobs holding a slot (reserved or running), by name.</summary>
    public Task<IReadOnlyList<LimitGroupInfo>> GetLimitsAsync(CancellationToken cancellationToken = default) =>
        Call("GetLimits", Server.GetLimits(), cancellationToken);
}
