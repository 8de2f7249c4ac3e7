namespace JobQueue.Grains.Storage;

/// <summary>The deployments, as in the model.</summary>
public static class Deployments
{
    /// <summary>Keeps the database across restarts.</summary>
    public const string Production = "production";

    /// <summary>Starts from an empty database every time.</summary>
    public const string Development = "development";
}
