using System.Globalization;

namespace JobQueue.Silo.Scheduling;

/// <summary>The command that starts a runner: a template with {queue}, {group}, {deployment}, {server}, {reserve_timeout} and {max_mins}.</summary>
public static class RunnerCommandLine
{
    /// <summary>The runner arguments of the model's RunnerCmd, as placeholders.</summary>
    public const string Arguments = "--queue {queue} --group '{group}' --deployment {deployment} --server '{server}' --reserve-timeout {reserve_timeout} --max-mins {max_mins}";

    /// <summary>The built runner next to this program (jobqueue-runner, else "jobqueue runner"), or null if neither is there.</summary>
    public static string? Default()
    {
        var directory = AppContext.BaseDirectory;
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
            : Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path
            : "dotnet";
        var runner = Path.Combine(directory, "jobqueue-runner.dll");
        if (File.Exists(runner))
        {
            return $"'{dotnet}' '{runner}' {Arguments}";
        }

        var cli = Path.Combine(directory, "jobqueue.dll");
        return File.Exists(cli) ? $"'{dotnet}' '{cli}' runner {Arguments}" : null;
    }

    /// <summary>Fills in a template.</summary>
    public static string Expand(string template, string queue, string group, string deployment, string server, int reserveTimeoutSeconds, int maxMinutes)
    {
        ArgumentNullException.ThrowIfNull(template);
        return template
            .Replace("{queue}", queue, StringComparison.Ordinal)
            .Replace("{group}", group, StringComparison.Ordinal)
            .Replace("{deployment}", deployment, StringComparison.Ordinal)
            .Replace("{server}", server, StringComparison.Ordinal)
            .Replace("{reserve_timeout}", reserveTimeoutSeconds.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{max_mins}", maxMinutes.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }
}
