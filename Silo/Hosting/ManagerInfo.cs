using System.Text.Json;
using System.Text.Json.Serialization;

namespace JobQueue.Silo.Hosting;

/// <summary>What a running manager writes to its home so that every command finds it without flags.</summary>
public sealed record ManagerInfo
{
    /// <summary>The file's name inside the home directory.</summary>
    public const string FileName = "manager.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public int Pid { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The gateway port clients connect to.</summary>
    public int Port { get; init; }

    public int SiloPort { get; init; }

    public int WebPort { get; init; }

    public string ClusterId { get; init; } = "jobqueue";

    public string ServiceId { get; init; } = "jobqueue";

    public string Deployment { get; init; } = "production";

    public string Scheduler { get; init; } = "local";

    public string Storage { get; init; } = "sqlite";

    /// <summary>For PostgreSQL clusters: clients may find gateways through the membership table instead.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PostgresConnectionString { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>The "host:port" address of the gateway.</summary>
    [JsonIgnore]
    public string Address => $"{Host}:{Port}";

    /// <summary>Reads the manager file of <paramref name="home"/>; null if there is none or its process is gone.</summary>
    public static ManagerInfo? Read(string home)
    {
        var path = Path.Combine(home, FileName);
        try
        {
            var info = JsonSerializer.Deserialize<ManagerInfo>(File.ReadAllText(path), Json);
            return info is not null && IsAlive(info.Pid) ? info : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True if a process with this id exists.</summary>
    public static bool IsAlive(int pid) => pid > 0 && Directory.Exists($"/proc/{pid}");

    /// <summary>Writes this record atomically to <paramref name="home"/>.</summary>
    public void Write(string home)
    {
        var path = Path.Combine(home, FileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }

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
