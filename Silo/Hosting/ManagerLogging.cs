using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

namespace JobQueue.Silo.Hosting;

/// <summary>The manager's log: $JOBQUEUE_HOME/logs/manager.log (owner-only, rolled at 50 MB), and the console when in the foreground.</summary>
internal static class ManagerLogging
{
    // Serilog decides for its own sink (its provider is exempt from the host's filters), so each level is set for both.
    private static readonly (string Category, LogLevel Level)[] Levels =
    [
        ("Orleans", LogLevel.Warning),
        ("Microsoft", LogLevel.Warning),
        ("Polly", LogLevel.Warning),

        // Request lines would carry the web token of "?token=" URLs: never below Warning.
        ("Microsoft.AspNetCore", LogLevel.Warning),

        // A refused TLS peer is logged once, by us, in one line; Orleans would add a stack trace for every one.
        ("Orleans.Connections.Security", LogLevel.Error),

        // Orleans recommends server GC at start-up; the manager deliberately runs with the smaller workstation GC.
        ("Orleans.Runtime.Silo", LogLevel.Error),
    ];

    public static void Configure(IHostApplicationBuilder builder, ManagerOptions options)
    {
        builder.Logging.ClearProviders();
        if (options.LogToConsole)
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            });
        }

        var file = new LoggerConfiguration().MinimumLevel.Information();
        foreach (var (category, level) in Levels)
        {
            file = file.MinimumLevel.Override(category, level == LogLevel.Error ? LogEventLevel.Error : LogEventLevel.Warning);
            builder.Logging.AddFilter(category, level);
        }

        var logger = file.WriteTo.File(
                Path.Combine(options.Home, "logs", "manager.log"),
                fileSizeLimitBytes: 50 * 1024 * 1024,
                rollOnFileSizeLimit: true,
                retainedFileCountLimit: 5,
                hooks: new PrivateLogFiles(),
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .CreateLogger();
        builder.Logging.AddSerilog(logger, dispose: true);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
    }
}
