using System.Text.Json;
using JobQueue.Tests.Infrastructure;
using Microsoft.Playwright;

namespace JobQueue.Tests.Web;

/// <summary>
/// The page in a real browser (Debian's chromium driven by Playwright): it opens with the token, follows the queue
/// live without a reload, and its Retry and Kill act on real jobs. Screenshots go to test-results/.
/// </summary>
public sealed class BrowserTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly float Wait = 60_000;
    private WebSession _web = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: ./test.sh installs Debian's chromium (apt-get install chromium)");
        _web = await WebSession.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _web.DisposeAsync();
    }

    [Fact]
    public async Task The_page_follows_the_queue_live_and_its_retry_and_kill_act_on_real_jobs()
    {
        var page = await _browser.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        var status = await _web.Cli.RunAsync("manager", "status");
        var url = status.Lines.Select(l => l.Trim()).First(l => l.StartsWith("web interface: ", StringComparison.Ordinal))["web interface: ".Length..];
        await page.GotoAsync(url);
        Assert.DoesNotContain("token=", page.Url, StringComparison.Ordinal);
        await Expect(page.Locator("#overview tr.total .n-complete")).ToHaveTextAsync("0", new() { Timeout = Wait });

        // Jobs added with the CLI show up and finish on the open page: no reload.
        var file = Path.Combine(_web.Home, "browser.jobs");
        await File.WriteAllTextAsync(file, "echo done\necho hello-from-the-browser-test; exit 7\t{\"retries\":0}\n", Ct);
        var added = await _web.Cli.RunAsync("add", "-f", file, "-i", "browser", "--cwd", _web.Home);
        Assert.True(added.ExitCode == 0, added.ToString());
        var row = page.Locator("tr[data-repgroup='browser']");
        await Expect(row.Locator(".n-complete")).ToHaveTextAsync("1", new() { Timeout = Wait });
        await Expect(row.Locator(".n-buried")).ToHaveTextAsync("1", new() { Timeout = Wait });
        await page.ScreenshotAsync(new() { Path = Shot("web-overview.png"), FullPage = true });

        // The rep group's buried job: Retry runs it again (its second attempt is buried again with the same exit).
        await row.Locator("a").ClickAsync();
        var buried = page.Locator(".group[data-state='buried']");
        await Expect(buried).ToContainTextAsync("exit 7", new() { Timeout = Wait });
        await page.ScreenshotAsync(new() { Path = Shot("web-repgroup.png"), FullPage = true });
        await buried.Locator("button[data-action='retry']").ClickAsync();
        await Eventually.True(async () => (await JobAsync("echo hello-from-the-browser-test; exit 7")).GetProperty("attempts").GetInt32() == 2, TimeSpan.FromSeconds(60), "the retried job to run again");

        // The failed job's page shows the command's output (kept for failed runs, as in the model).
        await buried.Locator("a").First.ClickAsync();
        await Expect(page.Locator("#job-stdout")).ToContainTextAsync("hello-from-the-browser-test", new() { Timeout = Wait });

        // Kill stops a running job: it is buried as killed, well before it would have ended.
        await File.WriteAllTextAsync(file, "sleep 600\n", Ct);
        Assert.Equal(0, (await _web.Cli.RunAsync("add", "-f", file, "-i", "browser-kill", "--cwd", _web.Home)).ExitCode);
        var sleeper = await Eventually.Get(() => JobAsync("sleep 600"), j => j.GetProperty("state").GetString() == "running", TimeSpan.FromSeconds(60), "the sleep to run");
        await page.GotoAsync($"{_web.BaseUrl}#/job/{sleeper.GetProperty("key").GetString()}");
        await Expect(page.Locator("#job-state")).ToHaveTextAsync("running", new() { Timeout = Wait });
        await Expect(page.Locator("#job-why")).ToContainTextAsync("it is running on", new() { Timeout = Wait });
        await page.ScreenshotAsync(new() { Path = Shot("web-job.png"), FullPage = true });
        await page.Locator("button[data-action='kill']").ClickAsync();
        await Expect(page.Locator("#job-state")).ToHaveTextAsync("buried", new() { Timeout = Wait });
        await Expect(page.Locator("#job-why")).ToContainTextAsync($"it is buried after failing: {FailReasons.Killed}", new() { Timeout = Wait });
        Assert.Equal(FailReasons.Killed, (await JobAsync("sleep 600")).GetProperty("failReason").GetString());
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static string Shot(string name)
    {
        var directory = Path.Combine(Repository.Root, "test-results");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name);
    }

    private async Task<JsonElement> JobAsync(string cmd)
    {
        var found = await _web.Cli.RunAsync("status", "--cmd", cmd, "--cwd", _web.Home, "--json");
        Assert.True(found.ExitCode == 0, found.ToString());
        return found.Json.Single();
    }
}
