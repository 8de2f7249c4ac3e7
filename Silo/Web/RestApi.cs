using System.Text.Json;
using JobQueue.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace JobQueue.Silo.Web;

/// <summary>The REST API (JSON, camelCase): the same server operations as the CLI, under /rest/v1.</summary>
public static class RestApi
{
    /// <summary>The JSON style of every answer.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Maps the endpoints.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var rest = app.MapGroup("/rest/v1");
        rest.MapGet("/info", async ([FromServices] IGrainFactory grains, [FromServices] CountsFeed feed) =>
            Results.Json(await WebViews.InfoAsync(grains, feed).ConfigureAwait(false), Json));

        rest.MapGet("/repgroups", async ([FromServices] IGrainFactory grains, string? filter, int? offset, int? limit) =>
        {
            var groups = await grains.GetGrain<IJobQueryGrain>(0).GetRepGroupCounts(null).ConfigureAwait(false);
            return Results.Json(WebViews.Overview(groups, filter, offset ?? 0, limit ?? 1000), Json);
        });

        rest.MapGet("/repgroups/{name}", async ([FromServices] IGrainFactory grains, string name) =>
            Results.Json(await WebViews.RepGroupAsync(grains, name).ConfigureAwait(false), Json));

        rest.MapGet("/jobs", ([FromServices] IGrainFactory grains, string? repgrp, string? state, int? exitcode, string? failreason, int? limit, bool? std, bool? env, string? after) => Guard(async () =>
        {
            var filter = new JobFilter
            {
                RepGroup = string.IsNullOrEmpty(repgrp) ? null : repgrp,
                State = ParseState(state),
                ExitCode = exitcode,
                FailReason = failreason,
            };
            var page = await grains.GetGrain<IJobQueryGrain>(0).List(filter, after, limit ?? 100, std ?? false, env ?? false).ConfigureAwait(false);
            return Results.Json(new { jobs = page.Jobs.Select(j => JobJson.From(j, std ?? false, env ?? false)), next = page.Next }, Json);
        }));

        rest.MapGet("/jobs/{key}", async ([FromServices] IGrainFactory grains, string key, bool? std, bool? env) =>
        {
            var view = await WebViews.JobAsync(grains, key, std ?? true, env ?? false).ConfigureAwait(false);
            return view is null
                ? Results.Json(new { error = $"no job has the key {key}" }, Json, statusCode: StatusCodes.Status404NotFound)
                : Results.Json(view, Json);
        });

        rest.MapPost("/jobs", ([FromServices] IGrainFactory grains, [FromBody] JsonElement body, bool? rerun) => Guard(async () =>
        {
            var jobs = RestJobs.ParseJobs(body);
            var total = new AddResult(0, 0);
            foreach (var batch in AddBatch.Split(jobs, () => [], 10_000, skipCompleted: rerun != true))
            {
                total += await grains.GetGrain<IJobAdderGrain>(0).Add(batch).ConfigureAwait(false);
            }

            return Results.Json(new { added = total.Added, existed = total.Existed }, Json);
        }));

        rest.MapPost("/jobs/retry", ([FromServices] IGrainFactory grains, [FromBody] JsonElement body) => Bulk(grains, body, BulkAction.Kick, "kicked"));
        rest.MapPost("/jobs/kill", ([FromServices] IGrainFactory grains, [FromBody] JsonElement body) => Bulk(grains, body, BulkAction.Kill, "killed"));
        rest.MapPost("/jobs/mod", ([FromServices] IGrainFactory grains, [FromBody] JsonElement body) => Guard(async () =>
        {
            var filter = RestJobs.ParseSelection(body);
            var total = await grains.GetGrain<IJobActionGrain>(0).ModifyAllAsync(filter, RestJobs.ParseChanges(body)).ConfigureAwait(false);
            return Results.Json(new Dictionary<string, int> { ["modified"] = total }, Json);
        }));
        rest.MapDelete("/jobs", ([FromServices] IGrainFactory grains, [FromBody] JsonElement body) =>
            Bulk(grains, body, body.TryGetProperty("withDependents", out var with) && with.ValueKind == JsonValueKind.True ? BulkAction.DeleteWithDependents : BulkAction.Delete, "removed"));
    }

    private static Task<IResult> Bulk(IGrainFactory grains, JsonElement body, BulkAction action, string verb) => Guard(async () =>
    {
        var filter = RestJobs.ParseSelection(body);
        var total = await grains.GetGrain<IJobActionGrain>(0).ApplyAllAsync(filter, action).ConfigureAwait(false);
        return Results.Json(new Dictionary<string, int> { [verb] = total }, Json);
    });

    private static JobState? ParseState(string? state) =>
        string.IsNullOrEmpty(state) ? null : JobStates.TryParse(state, out var parsed) ? parsed : throw new RestProblem($"state \"{state}\" is not a job state", null, "state");

    private static async Task<IResult> Guard(Func<Task<IResult>> handle)
    {
        try
        {
            return await handle().ConfigureAwait(false);
        }
        catch (RestProblem ex)
        {
            return Results.Json(new { error = ex.Message, index = ex.Index, field = ex.Field }, Json, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (FormatException ex)
        {
            return Results.Json(new { error = ex.Message, field = "after" }, Json, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (JobQueueException ex) when (ex.Kind is JobQueueErrorKind.BadJob or JobQueueErrorKind.BadRequest)
        {
            return Results.Json(new { error = ex.Message }, Json, statusCode: StatusCodes.Status400BadRequest);
        }
    }
}
