using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Cli;

/// <summary>Pipelines of real commands through the command line: each step starts only after the one it depends on.</summary>
public sealed class PipelineTests : IAsyncLifetime
{
    private readonly CliHome _home = new("pipeline");

    private CliRunner _cli => _home.Cli;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _home.DisposeAsync();

    [Fact]
    public async Task A_three_step_pipeline_of_real_commands_runs_each_step_after_the_one_before()
    {
        // Step 1 writes three parts slowly; step 2 counts them; step 3 reads step 2's count. Each records when it ran.
        var dir = _home.Path;
        string[] lines =
        [
            .. Enumerable.Range(0, 3).Select(i => $"sleep 0.3; echo part{i} > {dir}/part{i}; echo \"1 $(date +%s%N)\" >> {dir}/order\t{{\"dep_grps\":[\"parts\"]}}"),
            $"ls {dir}/part* | wc -l > {dir}/count; echo \"2 $(date +%s%N)\" >> {dir}/order\t{{\"deps\":[\"parts\"],\"dep_grps\":[\"count\"]}}",
            $"cp {dir}/count {dir}/result; echo \"3 $(date +%s%N)\" >> {dir}/order\t{{\"deps\":[\"count\"]}}",
        ];
        var file = Path.Combine(dir, "pipeline.jobs");
        await File.WriteAllLinesAsync(file, lines, TestContext.Current.CancellationToken);

        var run = await _cli.RunAsync("run", file, "--rep-grp", "pipeline");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("3", (await File.ReadAllTextAsync(Path.Combine(dir, "result"), TestContext.Current.CancellationToken)).Trim());
        var order = (await File.ReadAllLinesAsync(Path.Combine(dir, "order"), TestContext.Current.CancellationToken))
            .Select(l => l.Split(' ')).Select(p => (Step: int.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), At: long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)))
            .OrderBy(e => e.At)
            .Select(e => e.Step);
        Assert.Equal([1, 1, 1, 2, 3], order);
    }

    [Fact]
    public async Task Add_refuses_a_dependency_on_an_empty_group_and_remove_refuses_a_job_others_wait_on_unless_told()
    {
        Assert.Equal(0, (await _cli.RunAsync("manager", "start", "--scheduler", "none")).ExitCode);
        var file = Path.Combine(_home.Path, "deps.jobs");
        await File.WriteAllLinesAsync(file, ["echo waits"], TestContext.Current.CancellationToken);

        var empty = await _cli.RunAsync("add", "-f", file, "--deps", "nobody");
        Assert.Equal(ExitCodes.BadInput, empty.ExitCode);
        Assert.Contains("dependency group \"nobody\", which has no member", empty.Stderr, StringComparison.Ordinal);

        await File.WriteAllLinesAsync(file, ["echo first\t{\"dep_grps\":[\"a\"]}", "echo second\t{\"deps\":[\"a\"]}"], TestContext.Current.CancellationToken);
        Assert.Equal(0, (await _cli.RunAsync("add", "-f", file, "--rep-grp", "deps")).ExitCode);
        var states = (await _cli.RunAsync("status", "--rep-grp", "deps", "--json")).Json.ToDictionary(j => j.GetProperty("cmd").GetString()!, j => j.GetProperty("state").GetString());
        Assert.Equal("dependent", states["echo second"]);

        var refused = await _cli.RunAsync("remove", "--cmd", "echo first", "--cwd", _home.Path);
        Assert.Equal(ExitCodes.BadInput, refused.ExitCode);
        Assert.Contains("1 job waits on it", refused.Stderr, StringComparison.Ordinal);
        var removed = await _cli.RunAsync("remove", "--cmd", "echo first", "--cwd", _home.Path, "--with-dependents");
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Empty((await _cli.RunAsync("status", "--rep-grp", "deps", "--json")).Json);
    }
}
