using System.Net;

namespace JobQueue.Tests.Web;

/// <summary>Manager:Dashboard=false leaves the Orleans Dashboard out and everything else of the web side in.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DashboardSettingTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private WebSession _web = null!;

    public async ValueTask InitializeAsync() => _web = await WebSession.StartAsync("--Manager:Dashboard", "false");

    public async ValueTask DisposeAsync() => await _web.DisposeAsync();

    [Fact]
    public async Task Without_the_dashboard_its_path_is_not_found_and_the_rest_answers()
    {
        using var dashboard = await _web.Http.GetAsync("dashboard/", Ct);
        Assert.Equal(HttpStatusCode.NotFound, dashboard.StatusCode);
        using var anonymous = await _web.Anonymous.GetAsync("dashboard/", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var added = await _web.SendJsonAsync(HttpMethod.Post, "rest/v1/jobs", $$"""[{"cmd":"true","cwd":"{{_web.Home}}","rep_grp":"lean"}]""");
        Assert.Equal(200, added.Status);
        await _web.CountsUntilAsync("lean", c => c["complete"] == 1, "the job to complete");
        using var metrics = await _web.Http.GetAsync("metrics", Ct);
        Assert.Contains("jobqueue_", await metrics.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
