using JobQueue.Home;

namespace JobQueue.Client;

/// <summary>Credentials a connection loaded itself; disposed with the connection's host.</summary>
internal sealed class OwnedCredentials(ClusterCredentials credentials) : IDisposable
{
    public void Dispose() => credentials.Dispose();
}
