using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using JobQueue.Home;

namespace JobQueue.Silo.Hosting;

/// <summary>
/// The ports a manager picked for itself, kept in its home (<c>ports.json</c>) so that a restarted manager listens
/// where the old one did and the runners of a crashed manager reconnect to it.
/// </summary>
/// <param name="Port">The gateway port.</param>
/// <param name="SiloPort">The silo-to-silo port.</param>
/// <param name="WebPort">The web port (0: none).</param>
public sealed record ManagerPorts(int Port, int SiloPort, int WebPort)
{
    /// <summary>The file's name inside the home directory.</summary>
    public const string FileName = "ports.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The ports remembered in <paramref name="home"/>, or null.</summary>
    public static ManagerPorts? Read(string home)
    {
        try
        {
            return JsonSerializer.Deserialize<ManagerPorts>(File.ReadAllText(Path.Combine(home, FileName)), Json);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// <paramref name="remembered"/> if it is a port nothing listens on now, else a free port; never one of
    /// <paramref name="taken"/> (ports picked for this manager but not yet bound, which the system may hand out again).
    /// </summary>
    public static int Reuse(int? remembered, params int[] taken)
    {
        if (remembered is > 0 and <= 65535 && !taken.Contains(remembered.Value) && IsFree(remembered.Value))
        {
            return remembered.Value;
        }

        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (!taken.Contains(port))
            {
                return port;
            }
        }
    }

    /// <summary>Remembers these ports in <paramref name="home"/>.</summary>
    public void Write(string home) => PrivateFiles.WriteAllText(Path.Combine(home, FileName), JsonSerializer.Serialize(this, Json));

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Server.ExclusiveAddressUse = true;
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
