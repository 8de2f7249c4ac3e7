using System.Text.Json;
using System.Text.Json.Serialization;

namespace JobQueue.Home;

/// <summary>What a running manager writes to its home so that every command finds it without flags.</summary>
public sealed record ManagerInfo
{
    /// <summary>The file's name inside the home directory.</summary>
    public const string FileName = "manager.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The manager's process id.</summary>
    public int Pid { get; init; }

    /// <summary>The address clients connect to.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The gateway port clients connect to.</summary>
    public int Port { get; init; }

    /// <summary>The port silos talk to each other on.</summary>
    public int SiloPort { get; init; }

    /// <summary>The web interface's port, or 0.</summary>
    public int WebPort { get; init; }

    /// <summary>The web interface's address ("http://host:port/"), or null when it is off.</summary>
    public string? WebUrl { get; init; }

    /// <summary>The Orleans cluster id.</summary>
    public string ClusterId { get; init; } = "jobqueue";

    /// <summary>The Orleans service id.</summary>
    public string ServiceId { get; init; } = "jobqueue";

    /// <summary>"production" or "development".</summary>
    public string Deployment { get; init; } = "production";

    /// <summary>"local" or "none".</summary>
    public string Scheduler { get; init; } = "local";

    /// <summary>"sqlite" or "postgres".</summary>
    public string Storage { get; init; } = "sqlite";

    /// <summary>Whether clients must connect with TLS and the home's certificate (Manager:Tls).</summary>
    public bool Tls { get; init; } = true;

    /// <summary>When the manager started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>The "host:port" address of the gateway.</summary>
    [JsonIgnore]
    public string Address => $"{Host}:{Port}";

    /// <summary>
    /// Reads the manager file of <paramref name="home"/>; null if there is none or no live manager holds the home's
    /// lock (a crashed manager's file stays behind, and its pid may linger as a zombie: neither proves life).
    /// </summary>
    public static ManagerInfo? Read(string home) => ManagerLock.IsHeld(home) ? ReadFile(home) : null;

    /// <summary>Reads the manager file of <paramref name="home"/> whether or not its manager still lives.</summary>
    public static ManagerInfo? ReadFile(string home)
    {
        var path = Path.Combine(home, FileName);
        try
        {
            return JsonSerializer.Deserialize<ManagerInfo>(File.ReadAllText(path), Json);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes this record atomically to <paramref name="home"/>, readable by its owner only.</summary>
    public void Write(string home) => PrivateFiles.WriteAllText(Path.Combine(home, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>Removes the manager file of <paramref name="home"/> if it is this process's.</summary>
    public static void Remove(string home, int pid)
    {
        var path = Path.Combine(home, FileName);
        try
        {
            var info = JsonSerializer.Deserialize<ManagerInfo>(File.ReadAllText(path), Json);
            if (info?.Pid == pid)
            {
                File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            // Nothing to remove.
        }
    }
}
