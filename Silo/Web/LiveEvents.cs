using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace JobQueue.Silo.Web;

/// <summary>
/// Server-sent events for the page: on every new counts snapshot (at most twice a second) the viewer gets the
/// snapshot's version and its page of rep groups ("counts"), and, when it has one open, the rep group ("group")
/// and the job ("job") afresh. Snapshots replace what the page shows; nothing is added up, so nothing drifts.
/// </summary>
public static class LiveEvents
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    /// <summary>Maps GET /rest/v1/events.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/rest/v1/events", StreamAsync).ExcludeFromDescription();
    }

    private static async Task StreamAsync(HttpContext context, [FromServices] CountsFeed feed, [FromServices] IGrainFactory grains, string? filter, int? offset, int? limit, string? repgrp, string? job)
    {
        var response = context.Response;
        var cancellationToken = context.RequestAborted;
        response.Headers.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        using var viewer = feed.Watch();
        long version = 0;
        string? lastGroup = null, lastJob = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                CountsSnapshot snapshot;
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    wait.CancelAfter(KeepAlive);
                    try
                    {
                        snapshot = await feed.NextAsync(version, wait.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        await response.WriteAsync(": keep-alive\n\n", cancellationToken).ConfigureAwait(false);
                        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                }

                version = snapshot.Version;
                await SendAsync(response, "counts", new
                {
                    snapshot.Version,
                    snapshot.TakenAt,
                    Manager = snapshot.Stats is { } stats ? WebViews.Manager(stats, snapshot.Managers) : null,
                    Overview = WebViews.Overview(snapshot.Groups, filter, offset ?? 0, limit ?? 100),
                }, cancellationToken).ConfigureAwait(false);

                if (!string.IsNullOrEmpty(repgrp))
                {
                    lastGroup = await SendIfChangedAsync(response, "group", await WebViews.RepGroupAsync(grains, repgrp).ConfigureAwait(false), lastGroup, cancellationToken).ConfigureAwait(false);
                }

                if (!string.IsNullOrEmpty(job))
                {
                    var view = await WebViews.JobAsync(grains, job, std: true, env: false).ConfigureAwait(false) ?? new { job = (JobJson?)null, runs = Array.Empty<JobJson>() };
                    lastJob = await SendIfChangedAsync(response, "job", view, lastJob, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The viewer left.
        }
    }

    private static async Task<string> SendIfChangedAsync(HttpResponse response, string name, object value, string? last, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(value, RestApi.Json);
        if (json != last)
        {
            await WriteEventAsync(response, name, json, cancellationToken).ConfigureAwait(false);
        }

        return json;
    }

    private static Task SendAsync(HttpResponse response, string name, object value, CancellationToken cancellationToken) =>
        WriteEventAsync(response, name, JsonSerializer.Serialize(value, RestApi.Json), cancellationToken);

    private static async Task WriteEventAsync(HttpResponse response, string name, string json, CancellationToken cancellationToken)
    {
        await response.WriteAsync($"event: {name}\ndata: {json}\n\n", cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
