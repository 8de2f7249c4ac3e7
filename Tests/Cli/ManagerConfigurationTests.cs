using JobQueue.Silo.Hosting;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Cli;

/// <summary>
/// Defaults a caller gives (as <c>jobqueue run</c> leaves the Orleans Dashboard out of its own manager) give way to
/// every setting a user makes; overrides give way to none.
/// </summary>
public sealed class ManagerConfigurationTests : IDisposable
{
    private static readonly Dictionary<string, string?> NoDashboard = new() { ["Manager:Dashboard"] = "false" };
    private readonly TempDirectory _home = new("config");

    public void Dispose() => _home.Dispose();

    [Fact]
    public void A_default_holds_where_nothing_else_sets_the_setting()
    {
        var configuration = Load();

        Assert.False(configuration.Manager.Dashboard);
    }

    [Fact]
    public async Task The_home_s_settings_file_and_the_command_line_win_over_a_default()
    {
        await File.WriteAllTextAsync(Path.Combine(_home.Path, "appsettings.json"), """{ "Manager": { "Dashboard": true } }""", TestContext.Current.CancellationToken);

        Assert.True(Load().Manager.Dashboard);
        Assert.False(Load("--Manager:Dashboard", "false").Manager.Dashboard);
    }

    [Fact]
    public void An_override_wins_over_the_command_line()
    {
        var configuration = ManagerConfiguration.Load(
            ["--Manager:Home", _home.Path, "--Manager:Scheduler", "none"],
            overrides: new Dictionary<string, string?> { ["Manager:Scheduler"] = "local" },
            defaults: new Dictionary<string, string?> { ["Manager:Scheduler"] = "slurm" });

        Assert.Equal("local", configuration.Manager.Scheduler);
    }

    private ManagerConfiguration Load(params string[] args) =>
        ManagerConfiguration.Load(["--Manager:Home", _home.Path, .. args], defaults: NoDashboard);
}
