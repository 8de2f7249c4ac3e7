namespace JobQueue;

/// <summary>
/// A lease is "clientId/token": the id of the client that reserved the job, which anyone may see, and a secret token
/// minted for that reservation, which only the reserving client learns. Both must match for a report to be accepted.
/// </summary>
public static class Leases
{
    /// <summary>The lease of a client's reservation.</summary>
    public static string Compose(string clientId, string token) => $"{clientId}/{token}";

    /// <summary>The public half of a lease: the client id (null for no lease).</summary>
    public static string? ClientOf(string? lease)
    {
        if (lease is null)
        {
            return null;
        }

        var slash = lease.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? lease : lease[..slash];
    }

    /// <summary>The secret half of a lease (null for no lease).</summary>
    public static string? TokenOf(string? lease)
    {
        var slash = lease?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        return slash < 0 ? null : lease![(slash + 1)..];
    }

    /// <summary>The full lease of a job returned by a reserve (null if it carries none).</summary>
    public static string? Of(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.ReservedBy is { } client && job.LeaseToken is { } token ? Compose(client, token) : null;
    }
}
