namespace JobQueue.Cli;

/// <summary>Reads jobs through a running manager.</summary>
/// <param name="client">A client of the manager.</param>
/// <param name="owned">Dispose the client with the reader.</param>
public sealed class ManagerJobReader(JobQueueClient client, bool owned = false) : IJobReader
{
    /// <inheritdoc />
    public Task<Job?> GetByCmdAsync(string cmd, string cwd, bool getStd, bool getEnv, CancellationToken cancellationToken) =>
        client.GetByCmdAsync(cmd, cwd, getStd, getEnv, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Job>> GetByRepGroupAsync(string repGroup, int limit, JobState? state, bool getStd, bool getEnv, CancellationToken cancellationToken) =>
        client.GetByRepGroupAsync(repGroup, limit, state, getStd, getEnv, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<Job> ListAllAsync(JobFilter filter, bool getStd, bool getEnv, CancellationToken cancellationToken) =>
        client.ListAllAsync(filter, getStd, getEnv, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RepGroupCounts>> GetRepGroupCountsAsync(string? repGroup, CancellationToken cancellationToken) =>
        client.GetRepGroupCountsAsync(repGroup, cancellationToken);

    /// <inheritdoc />
    public Task<WhyContext> GetWhyContextAsync(CancellationToken cancellationToken) => client.GetWhyContextAsync(cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, DependencyWait>> GetDependencyWaitsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        client.GetDependencyWaitsAsync(keys, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => owned ? client.DisposeAsync() : ValueTask.CompletedTask;
}
