using System.Globalization;
using System.Net;
using JobQueue.Home;

namespace JobQueue.Client;

/// <summary>How a client finds the manager: gateway addresses (the embedded manager, or any managers of a cluster).</summary>
public sealed class JobQueueConnectionOptions
{
    /// <summary>The Orleans service id shared by silos and clients. Default: "jobqueue".</summary>
    public string ServiceId { get; set; } = "jobqueue";

    /// <summary>The Orleans cluster id shared by silos and clients. Default: "jobqueue".</summary>
    public string ClusterId { get; set; } = "jobqueue";

    /// <summary>Gateways to connect to (host:port): any manager of the cluster; the client fails over between them.</summary>
    public IList<IPEndPoint> Gateways { get; } = [];

    /// <summary>
    /// The certificate to present and the authority to trust (mutual TLS). When null, they are loaded from
    /// <see cref="CertificateHome"/>'s "tls" directory at connect time.
    /// </summary>
    public ClusterCredentials? Credentials { get; set; }

    /// <summary>The home whose certificate the client presents; null (and no <see cref="Credentials"/>): connect without TLS, to a manager started with Manager:Tls false.</summary>
    public string? CertificateHome { get; set; }

    /// <summary>How long to keep trying to reach the manager before giving up. Default: 10 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gateways from "host:port[,host:port]"; cluster and service ids from $JOBQUEUE_CLUSTER_ID and $JOBQUEUE_SERVICE_ID;
    /// the certificate from $JOBQUEUE_HOME (else ~/.jobqueue) unless $JOBQUEUE_TLS is "false".
    /// </summary>
    public static JobQueueConnectionOptions FromEnvironment(string servers)
    {
        var tls = !string.Equals(Environment.GetEnvironmentVariable("JOBQUEUE_TLS"), "false", StringComparison.OrdinalIgnoreCase);
        var options = new JobQueueConnectionOptions { CertificateHome = tls ? JobQueueHome.Default : null };
        if (Environment.GetEnvironmentVariable("JOBQUEUE_CLUSTER_ID") is { Length: > 0 } clusterId)
        {
            options.ClusterId = clusterId;
        }

        if (Environment.GetEnvironmentVariable("JOBQUEUE_SERVICE_ID") is { Length: > 0 } serviceId)
        {
            options.ServiceId = serviceId;
        }

        foreach (var gateway in ParseGateways(servers))
        {
            options.Gateways.Add(gateway);
        }

        return options;
    }

    /// <summary>The options that reach the manager described by the manager file of <paramref name="home"/>, with that home's certificate.</summary>
    public static JobQueueConnectionOptions For(ManagerInfo manager, string home)
    {
        ArgumentNullException.ThrowIfNull(manager);
        var options = new JobQueueConnectionOptions
        {
            ClusterId = manager.ClusterId,
            ServiceId = manager.ServiceId,
            CertificateHome = manager.Tls ? home : null,
        };
        foreach (var gateway in ParseGateways(manager.Address))
        {
            options.Gateways.Add(gateway);
        }

        return options;
    }

    /// <summary>Parses "host:port[,host:port...]" into gateways.</summary>
    public static IReadOnlyList<IPEndPoint> ParseGateways(string servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var result = new List<IPEndPoint>();
        foreach (var part in servers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(part[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is <= 0 or > 65535)
            {
                throw new FormatException($"\"{part}\" is not host:port");
            }

            var host = part[..colon].Trim('[', ']');
            var address = host == "localhost" ? IPAddress.Loopback
                : IPAddress.TryParse(host, out var ip) ? ip
                : Dns.GetHostAddresses(host).FirstOrDefault() ?? throw new FormatException($"cannot resolve host \"{host}\"");
            result.Add(new IPEndPoint(address, port));
        }

        return result.Count > 0 ? result : throw new FormatException("no server address given");
    }
}
