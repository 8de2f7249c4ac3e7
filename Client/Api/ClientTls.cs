using System.Security.Authentication;
using System.Security.Cryptography;
using JobQueue.Home;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace JobQueue.Client;

/// <summary>Mutual TLS on the client's side: present the home's member certificate, accept only a manager of the same authority.</summary>
internal static class ClientTls
{
    /// <summary>The credentials <paramref name="options"/> ask for (null: no TLS), and whether the caller must dispose them.</summary>
    /// <exception cref="JobQueueException">NotAuthorised: the home's certificate cannot be read.</exception>
    public static (ClusterCredentials? Credentials, bool Owned) Resolve(JobQueueConnectionOptions options)
    {
        if (options.Credentials is not null || options.CertificateHome is not { } home)
        {
            return (options.Credentials, false);
        }

        try
        {
            return (ClusterCredentials.Load(home), true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new JobQueueException(
                JobQueueErrorKind.NotAuthorised,
                "Connect",
                detail: $"no client certificate readable in {ClusterCredentials.DirectoryOf(home)} ({ex.Message}); run as the manager's user, or import the cluster's authority with 'jobqueue manager cert import'",
                inner: ex);
        }
    }

    /// <summary>
    /// Turns on mutual TLS for the client. The manager's certificate is checked against our authority as soon as the
    /// handshake ends, before a byte of Orleans traffic, so that a mismatch is reported as what it is.
    /// </summary>
    /// <param name="client">The client to configure.</param>
    /// <param name="credentials">Its certificate and authority.</param>
    /// <param name="refused">Called with the reason when a manager's certificate is not from our authority.</param>
    public static void Use(IClientBuilder client, ClusterCredentials credentials, Action<string> refused)
    {
        client.UseTls(o =>
        {
            o.LocalCertificate = credentials.Certificate;
            o.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            o.AllowAnyRemoteCertificate();
            o.OnAuthenticateAsClient = (_, ssl) => ssl.TargetHost = ClusterCredentials.HostName;
        });
        client.Configure<ClientConnectionOptions>(o => o.ConfigureConnection(connection => connection.Use(next => async context =>
        {
            if (credentials.Check(context.Features.Get<ITlsConnectionFeature>()?.RemoteCertificate) is { } problem)
            {
                // The manager refuses our certificate as well; give it a moment to read it (and log that) before we
                // close, and only then say so (the caller tears the connection down at once).
                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                try
                {
                    await context.Transport.Input.ReadAsync(patience.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException)
                {
                    // Closed or timed out: either way we are done with it.
                }

                context.Abort();
                refused(problem);
                throw new AuthenticationException($"the manager at {context.RemoteEndPoint}: {problem}");
            }

            await next(context).ConfigureAwait(false);
        })));
    }
}
