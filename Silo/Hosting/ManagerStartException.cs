namespace JobQueue.Silo.Hosting;

/// <summary>The manager cannot start; the message is one line a user can act on.</summary>
public sealed class ManagerStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ManagerStartException()
    {
    }

    /// <summary>Creates the exception with a one-line message.</summary>
    public ManagerStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and its cause.</summary>
    public ManagerStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
