namespace JobQueue.Silo.Hosting;

/// <summary>The manager cannot start; the message is one line a user can act on.</summary>
public sealed class ManagerStartException : Exception
{
    public ManagerStartException()
    {
    }

    public ManagerStartException(string message)
        : base(message)
    {
    }

    public ManagerStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
