using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Web;

/// <summary>A real manager with its web interface and local runners, and HTTP clients with and without its token.</summary>
public sealed class WebSession : IAsyncDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TempDirectory _home;

    private WebSession(TempDirectory home, ManagerProcess manager, string token)
    {
        _home = home;
        Manager = manager;
        Token = token;
        BaseUrl = manager.Info.WebUrl ?? throw new InvalidOperationException("the manager has no web interface");
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) };
        Cli = new CliRunner(home.Path);
    }

    public ManagerProcess Manager { get; }

    public string Token { get; }

    public string BaseUrl { get; }

    public HttpClient Http { get; }

    /// <summary>A client without the token that does not follow redirects.</summary>
    public HttpClient Anonymous { get; }

    public CliRunner Cli { get; }

    public string Home => _home.Path;

    /// <summary>Starts a manager with local runners; <paramref name="settings"/> are more "--Section:Key value" pairs.</summary>
    public static async Task<WebSession> StartAsync(params string[] settings)
    {
        var home = new TempDirectory("jq-web");
        var manager = await ManagerProcess.StartAsync(home.Path, ["--Manager:Scheduler", "local", "--Manager:RunnerReserveTimeout", "2", .. settings]);
        var token = (await File.ReadAllTextAsync(Path.Combine(home.Path, "web.token"))).Trim();
        return new WebSession(home, manager, token);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<(int Status, JsonElement Body)> SendJsonAsync(HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await Http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>The counts of one rep group as GET /rest/v1/repgroups reports them (zeros if it has none).</summary>
    public async Task<Dictionary<string, long>> CountsAsync(string repGroup)
    {
        var overview = await GetJsonAsync($"rest/v1/repgroups?filter={Uri.EscapeDataString(repGroup)}");
        var group = overview.GetProperty("groups").EnumerateArray().FirstOrDefault(g => g.GetProperty("repGroup").GetString() == repGroup);
        string[] states = ["delayed", "ready", "reserved", "running", "buried", "complete"];
        return states.ToDictionary(s => s, s => group.ValueKind == JsonValueKind.Object ? group.GetProperty(s).GetInt64() : 0);
    }

    /// <summary>Waits until the rep group's counts satisfy <paramref name="done"/>.</summary>
    public Task<Dictionary<string, long>> CountsUntilAsync(string repGroup, Func<Dictionary<string, long>, bool> done, string what) =>
        Eventually.Get(() => CountsAsync(repGroup), done, TimeSpan.FromSeconds(60), what);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Anonymous.Dispose();
        await Manager.StopAsync();
        await Manager.DisposeAsync();
        _home.Dispose();
    }
}
