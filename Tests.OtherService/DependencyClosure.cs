using System.Text.Json;

namespace JobQueue.Tests.OtherService;

/// <summary>Reads a program's dependency closure from its .deps.json.</summary>
public static class DependencyClosure
{
    // Microsoft.Orleans.Runtime is not among them: Microsoft.Orleans.Connections.Security, which clients need for
    // mutual TLS, depends on it (for its silo half). Nothing of it runs in a client.
    private static readonly string[] ManagerPrefixes =
    [
        "Microsoft.Orleans.Server/", "Microsoft.Orleans.Persistence", "Microsoft.Orleans.Reminders",
        "Microsoft.Orleans.Clustering", "Microsoft.Data.Sqlite", "SQLitePCLRaw", "Npgsql", "Serilog", "JobQueue.Grains/", "jobqueue-manager",
    ];

    /// <summary>"Name/Version" of every library the program loads.</summary>
    public static IReadOnlyList<string> Libraries(string depsJson)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(depsJson));
        return [.. document.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name)];
    }

    /// <summary>The libraries that belong to the manager (Orleans' server, storage providers, logging to files).</summary>
    public static IReadOnlyList<string> ManagerOnly(IEnumerable<string> libraries) =>
        [.. libraries.Where(l => ManagerPrefixes.Any(p => l.StartsWith(p, StringComparison.OrdinalIgnoreCase)))];
}
