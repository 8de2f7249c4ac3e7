using System.Net;
using JobQueue.Grains.Metrics;
using JobQueue.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;

namespace JobQueue.Silo.Web;

/// <summary>
/// The manager's web side, in the manager's own host: the page, the REST API, live events, OpenAPI, Prometheus
/// metrics and the Orleans Dashboard, all behind the token.
/// </summary>
public static class ManagerWeb
{
    /// <summary>Adds the web services; Kestrel listens on <paramref name="port"/> at Manager:WebHost.</summary>
    public static void AddServices(WebApplicationBuilder builder, ManagerOptions options, int port)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var address = options.WebHost is "*" or "0.0.0.0" ? IPAddress.Any : IPAddress.TryParse(options.WebHost, out var parsed) ? parsed : Dns.GetHostAddresses(options.WebHost)[0];
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(address, port));
        builder.Services.AddRouting();
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(new TokenGate(loopback: IPAddress.IsLoopback(address)));
        builder.Services.AddSingleton<CountsFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CountsFeed>());

        // Orleans' own meters ride along with ours; OTLP is exported when OTEL_EXPORTER_OTLP_ENDPOINT is set.
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(JobQueueMetrics.MeterName, "Microsoft.Orleans");
            metrics.AddPrometheusExporter();
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
            {
                metrics.AddOtlpExporter();
            }
        });
    }

    /// <summary>Builds the pipeline: the token first, then every endpoint.</summary>
    public static WebApplication Build(WebApplicationBuilder builder, ManagerOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var app = builder.Build();
        var gate = app.Services.GetRequiredService<TokenGate>();
        app.Use(gate.InvokeAsync);
        app.UseRouting();
        foreach (var (path, file, type) in new[]
        {
            ("/", "index.html", "text/html; charset=utf-8"),
            ("/app.js", "app.js", "text/javascript; charset=utf-8"),
            ("/app.css", "app.css", "text/css; charset=utf-8"),
        })
        {
            var bytes = Asset(file);
            app.MapGet(path, () => Results.Bytes(bytes, type)).ExcludeFromDescription();
        }

        RestApi.Map(app);
        LiveEvents.Map(app);
        app.MapOpenApi("/openapi/v1.json");
        app.MapPrometheusScrapingEndpoint("/metrics");
        if (options.Dashboard)
        {
            app.MapOrleansDashboard(routePrefix: "/dashboard");
        }

        return app;
    }

    private static byte[] Asset(string name)
    {
        using var stream = typeof(ManagerWeb).Assembly.GetManifestResourceStream("JobQueue.Web." + name)
            ?? throw new InvalidOperationException($"missing web asset {name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
