namespace JobQueue;

/// <summary>
/// A lease is "clientId/token": the id of the client that reserved the job, which anyone may see, and a secret token
/// minted for that reservation, which only the reserving client learns. Both must match for a report to be accepted.
/// </summary>
public static class Leases
{
    private const int MinTokenLength = 16;

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

    /// <summary>A fresh lease for one reserve call: the client knows it before the answer arrives, so it can give back a reservation whose answer was lost.</summary>
    public static string New(string clientId) => Compose(clientId, Guid.NewGuid().ToString("N"));

    /// <summary>
    /// The lease a reserve call asked for: a "clientId/token" the client minted is kept; a bare client id gets a token
    /// minted here. Throws when there is no client id or the token is too short to be secret.
    /// </summary>
    public static string ForReserve(string? lease)
    {
        if (string.IsNullOrWhiteSpace(ClientOf(lease)))
        {
            throw new JobQueueException(JobQueueErrorKind.BadRequest, "Reserve", detail: "a client id is required");
        }

        if (TokenOf(lease) is not { } token)
        {
            return New(lease!);
        }

        return token.Length >= MinTokenLength
            ? lease!
            : throw new JobQueueException(JobQueueErrorKind.BadRequest, "Reserve", detail: $"a lease token must have at least {MinTokenLength} characters");
    }

    /// <summary>The full lease of a job returned by a reserve (null if it carries none).</summary>
    public static string? Of(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.ReservedBy is { } client && job.LeaseToken is { } token ? Compose(client, token) : null;
    }
}
