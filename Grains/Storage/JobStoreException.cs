namespace JobQueue.Grains.Storage;

/// <summary>The store cannot be used as configured.</summary>
public sealed class JobStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JobStoreException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public JobStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public JobStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
