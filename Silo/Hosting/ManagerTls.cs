using JobQueue.Home;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace JobQueue.Silo.Hosting;

/// <summary>
/// Mutual TLS on a manager's silo and gateway connections: a peer's certificate must come from the cluster's
/// authority, or the handshake fails and one line is logged with the reason. A peer that presents no certificate at
/// all is closed right after the handshake, before Orleans reads a byte, and one that does not speak TLS before it;
/// each is logged the same way.
/// </summary>
public sealed partial class ManagerTls(ClusterCredentials credentials)
{
    private ILogger? _logger;

    /// <summary>Where refusals are logged; set once the manager's services exist.</summary>
    public void SetLogger(ILoggerFactory loggers) => _logger = loggers.CreateLogger("JobQueue.Tls");

    /// <summary>Turns on mutual TLS for every connection of the silo.</summary>
    public void Use(ISiloBuilder silo)
    {
        // Before TLS (so registered first): a peer that does not even speak TLS is logged and closed here, since a
        // failed handshake is Orleans' to log and it would do so with a stack trace.
        silo.Configure<SiloConnectionOptions>(o =>
        {
            o.ConfigureGatewayInboundConnection(c => c.Use(next => context => RequireTlsAsync(next, context, "client")));
            o.ConfigureSiloInboundConnection(c => c.Use(next => context => RequireTlsAsync(next, context, "manager")));
        });
        silo.UseTls(o =>
        {
            o.LocalCertificate = credentials.Certificate;
            o.RemoteCertificateMode = RemoteCertificateMode.AllowCertificate;
            o.ClientCertificateMode = RemoteCertificateMode.AllowCertificate;
            o.RemoteCertificateValidation = (certificate, _, _) => Accept(certificate);
            o.OnAuthenticateAsClient = (_, ssl) => ssl.TargetHost = ClusterCredentials.HostName;
        });
        silo.Configure<SiloConnectionOptions>(o =>
        {
            o.ConfigureGatewayInboundConnection(c => c.Use(next => context => CheckAsync(next, context, "client")));
            o.ConfigureSiloInboundConnection(c => c.Use(next => context => CheckAsync(next, context, "manager")));
            o.ConfigureSiloOutboundConnection(c => c.Use(next => context => CheckAsync(next, context, "manager")));
        });
    }

    private bool Accept(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        if (credentials.Check(certificate) is not { } problem)
        {
            return true;
        }

        if (_logger is { } logger)
        {
            LogRefusedCertificate(logger, problem);
        }

        return false;
    }

    private Task CheckAsync(ConnectionDelegate next, ConnectionContext context, string peer)
    {
        if (credentials.Check(context.Features.Get<ITlsConnectionFeature>()?.RemoteCertificate) is not { } problem)
        {
            return next(context);
        }

        Refuse(context, peer, problem);
        return Task.CompletedTask;
    }

    private async Task RequireTlsAsync(ConnectionDelegate next, ConnectionContext context, string peer)
    {
        // Every TLS connection opens with a handshake record (content type 22); peek at it without consuming it.
        var input = context.Transport.Input;
        bool tls;
        using (var handshake = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                var read = await input.ReadAsync(handshake.Token).ConfigureAwait(false);
                tls = read.Buffer.IsEmpty || read.Buffer.FirstSpan[0] == 22;
                input.AdvanceTo(read.Buffer.Start);
            }
            catch (OperationCanceledException)
            {
                // Connected and said nothing: not a client of ours.
                context.Abort();
                return;
            }
        }

        if (tls)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        Refuse(context, peer, "it does not speak TLS");
    }

    private void Refuse(ConnectionContext context, string peer, string problem)
    {
        if (_logger is { } logger)
        {
            LogRefused(logger, peer, context.RemoteEndPoint?.ToString() ?? "?", problem);
        }

        context.Abort();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "not authorised: refused a connection: {Problem}")]
    private static partial void LogRefusedCertificate(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "not authorised: refused a {Peer} connection from {Remote}: {Problem}")]
    private static partial void LogRefused(ILogger logger, string peer, string remote, string problem);
}
