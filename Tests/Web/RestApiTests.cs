using System.Net;
using System.Text.Json;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Web;

/// <summary>The manager's HTTP side from outside: the token, the REST round trip, metrics, the dashboard and OpenAPI.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RestApiTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private WebSession _web = null!;

    public async ValueTask InitializeAsync() => _web = await WebSession.StartAsync();

    public async ValueTask DisposeAsync() => await _web.DisposeAsync();

    [Fact]
    public async Task Without_the_token_every_path_answers_401_and_nothing_else()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_web.Home, "web.token")));
        foreach (var path in new[] { "", "rest/v1/info", "rest/v1/repgroups", "rest/v1/jobs", "rest/v1/events", "dashboard/", "openapi/v1.json", "app.js" })
        {
            using var response = await _web.Anonymous.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.DoesNotContain("repGroup", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using var wrong = new HttpRequestMessage(HttpMethod.Post, "rest/v1/jobs") { Content = new StringContent("""[{"cmd":"id","cwd":"/tmp"}]""") };
        wrong.Headers.Authorization = new("Bearer", "not-the-token-at-all");
        using (var refused = await _web.Anonymous.SendAsync(wrong, Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // The URL the CLI prints sets an HttpOnly cookie and sends the browser on without the token in its address.
        using var opened = await _web.Anonymous.GetAsync($"?token={_web.Token}", Ct);
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.DoesNotContain(_web.Token, opened.Headers.Location!.ToString(), StringComparison.Ordinal);
        var cookie = Assert.Single(opened.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);

        var status = await _web.Cli.RunAsync("manager", "status");
        Assert.Contains($"{_web.BaseUrl}?token={_web.Token}", status.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(_web.Token, string.Join('\n', File.ReadAllLines(Path.Combine(_web.Home, "logs", "manager.log"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobs_added_over_REST_run_and_are_listed_by_cursor_retried_and_removed()
    {
        var dir = _web.Home;
        var bad = await _web.SendJsonAsync(HttpMethod.Post, "rest/v1/jobs", $$"""[{"cmd":"echo fine","cwd":"{{dir}}"},{"cmd":"echo bad","cwd":"{{dir}}","cpus":"two"}]""");
        Assert.Equal(400, bad.Status);
        Assert.Equal(1, bad.Body.GetProperty("index").GetInt32());
        Assert.Equal("cpus", bad.Body.GetProperty("field").GetString());
        Assert.Equal(0, (await _web.CountsAsync("rest")).Values.Sum());

        var jobs = string.Join(',', Enumerable.Range(1, 5).Select(i => $$"""{"cmd":"echo out-{{i}}","cwd":"{{dir}}","rep_grp":"rest"}"""));
        var added = await _web.SendJsonAsync(HttpMethod.Post, "rest/v1/jobs", $$"""[{{jobs}},{"cmd":"echo failing >&2; exit 3","cwd":"{{dir}}","rep_grp":"rest","retries":0}]""");
        Assert.Equal(200, added.Status);
        Assert.Equal(6, added.Body.GetProperty("added").GetInt32());
        var again = await _web.SendJsonAsync(HttpMethod.Post, "rest/v1/jobs", $$"""[{{jobs}}]""");
        Assert.Equal(5, again.Body.GetProperty("existed").GetInt32());

        await _web.CountsUntilAsync("rest", c => c["complete"] == 5 && c["buried"] == 1, "5 complete and 1 buried");

        // Two jobs a page: every job once, the buried one first (index order), complete runs after it.
        var seen = new List<JsonElement>();
        string? after = null;
        do
        {
            var page = await _web.GetJsonAsync($"rest/v1/jobs?repgrp=rest&limit=2&std=true{(after is null ? "" : "&after=" + Uri.EscapeDataString(after))}");
            var items = page.GetProperty("jobs").EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, 2);
            seen.AddRange(items);
            after = page.TryGetProperty("next", out var next) ? next.GetString() : null;
        }
        while (after is not null);
        Assert.Equal(6, seen.Select(j => j.GetProperty("key").GetString()).Distinct().Count());
        Assert.Equal("buried", seen[0].GetProperty("state").GetString());
        Assert.Contains("failing", seen[0].GetProperty("stderr").GetString(), StringComparison.Ordinal);
        var key = seen[0].GetProperty("key").GetString();

        var one = await _web.GetJsonAsync($"rest/v1/jobs/{key}");
        Assert.Equal(3, one.GetProperty("job").GetProperty("exitCode").GetInt32());

        var retried = await _web.SendJsonAsync(HttpMethod.Post, "rest/v1/jobs/retry", """{"repGroup":"rest"}""");
        Assert.Equal(1, retried.Body.GetProperty("kicked").GetInt32());
        await Eventually.Get(() => _web.GetJsonAsync($"rest/v1/jobs/{key}"), j => j.GetProperty("job").GetProperty("attempts").GetInt32() == 2
            && j.GetProperty("job").GetProperty("state").GetString() == "buried", TimeSpan.FromSeconds(60), "the retried job to run again and be buried");

        var modified = await _web.SendJsonAsync(HttpMethod.Post, "rest/v1/jobs/mod", """{"repGroup":"rest","state":"buried","changes":{"priority":42,"memory":"2G"}}""");
        Assert.Equal(1, modified.Body.GetProperty("modified").GetInt32());
        Assert.Equal((42, 2048), ((await _web.GetJsonAsync($"rest/v1/jobs/{key}")).GetProperty("job").GetProperty("priority").GetInt32(), (await _web.GetJsonAsync($"rest/v1/jobs/{key}")).GetProperty("job").GetProperty("ramMb").GetInt32()));
        var badMod = await _web.SendJsonAsync(HttpMethod.Post, "rest/v1/jobs/mod", """{"repGroup":"rest","changes":{"cwd":"/elsewhere"}}""");
        Assert.Equal((400, "cwd"), (badMod.Status, badMod.Body.GetProperty("field").GetString()));

        var removed = await _web.SendJsonAsync(HttpMethod.Delete, "rest/v1/jobs", """{"repGroup":"rest","state":"buried"}""");
        Assert.Equal(1, removed.Body.GetProperty("removed").GetInt32());
        var counts = await _web.CountsAsync("rest");
        Assert.Equal((0, 5L), (counts["buried"], counts["complete"]));

        var unknown = await _web.SendJsonAsync(HttpMethod.Post, "rest/v1/jobs/kill", """{"repGroup":"rest","all":true}""");
        Assert.Equal(400, unknown.Status);
    }

    [Fact]
    public async Task Metrics_move_as_jobs_run_and_the_dashboard_and_OpenAPI_answer()
    {
        static async Task<double> Total(HttpClient http, string series)
        {
            var text = await http.GetStringAsync("metrics", Ct);
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series, StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
        }

        // Bound to loopback, the scrape endpoint needs no token.
        var before = await Total(_web.Anonymous, "jobqueue_jobs_completed_total");
        var reservedBefore = await Total(_web.Anonymous, "jobqueue_jobs_reserved_total");
        var added = await _web.SendJsonAsync(HttpMethod.Post, "rest/v1/jobs", $$"""[{"cmd":"true","cwd":"{{_web.Home}}","rep_grp":"metrics"},{"cmd":"echo 2","cwd":"{{_web.Home}}","rep_grp":"metrics"}]""");
        Assert.Equal(2, added.Body.GetProperty("added").GetInt32());
        await Eventually.Get(() => Total(_web.Anonymous, "jobqueue_jobs_completed_total"), n => n >= before + 2, TimeSpan.FromSeconds(60), "jobqueue_jobs_completed_total to grow by 2");

        // Runners reserve and start in one commit: those are reservations too.
        Assert.True(await Total(_web.Anonymous, "jobqueue_jobs_reserved_total") >= reservedBefore + 2);
        var scrape = await _web.Anonymous.GetStringAsync("metrics", Ct);
        foreach (var series in new[] { "jobqueue_jobs_added_total", "jobqueue_jobs_reserved_total", "jobqueue_jobs_ready", "jobqueue_store_commit_duration_seconds_bucket", "jobqueue_reserve_wait_seconds_bucket" })
        {
            Assert.Contains(series, scrape, StringComparison.Ordinal);
        }

        using var dashboard = await _web.Http.GetAsync("dashboard/", Ct);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        var openApi = await _web.GetJsonAsync("openapi/v1.json");
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/rest/v1/jobs", out _));
    }
}
