using System.Globalization;
using System.Net;

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


    /// <summary>How long to keep trying to reach the manager before giving up. Default: 10 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gateways from "host:port[,host:port]"; cluster and service ids from $JOBQUEUE_CLUSTER_ID and $JOBQUEUE_SERVICE_ID.</summary>
    public static JobQueueConnectionOptions FromEnvironment(string servers)
    {
        var options = new JobQueueConnectionOptions();
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

    /// <summary>The options that reach the manager described by a manager file.</summary>
    public static JobQueueConnectionOptions For(JobQueue.Home.ManagerInfo manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        var options = new JobQueueConnectionOptions { ClusterId = manager.ClusterId, ServiceId = manager.ServiceId };
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
