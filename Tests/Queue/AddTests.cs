using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

public sealed class AddTests(QueueClusterFixture fixture) : IClassFixture<QueueClusterFixture>
{
    private readonly JobQueueClient _client = fixture.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Adding_the_same_jobs_again_reports_them_as_existed()
    {
        var rep = Jobs.Unique("dedup");
        var first = Enumerable.Range(0, 10).Select(i => Jobs.Spec($"echo first {i}", rep)).ToList();
        var second = Enumerable.Range(0, 10).Select(i => Jobs.Spec($"echo second {i}", rep)).ToList();

        Assert.Equal(new AddResult(10, 0), await _client.AddAsync(first, Ct));
        Assert.Equal(new AddResult(0, 10), await _client.AddAsync(first, Ct));
        Assert.Equal(new AddResult(10, 10), await _client.AddAsync([.. first, .. second], Ct));

        var counts = Assert.Single(await _client.GetRepGroupCountsAsync(rep, Ct));
        Assert.Equal(20, counts.Ready);
    }

    [Fact]
    public async Task The_same_command_in_another_directory_is_another_job()
    {
        var rep = Jobs.Unique("cwd");
        var result = await _client.AddAsync([Jobs.Spec("make", rep, cwd: "/tmp"), Jobs.Spec("make", rep, cwd: "/var/tmp")], Ct);
        Assert.Equal(new AddResult(2, 0), result);
    }

    [Fact]
    public async Task A_duplicate_within_one_batch_counts_as_existed()
    {
        var rep = Jobs.Unique("batchdup");
        var result = await _client.AddAsync([Jobs.Spec("echo twice", rep), Jobs.Spec("echo twice", rep)], Ct);
        Assert.Equal(new AddResult(1, 1), result);
    }

    [Fact]
    public async Task An_added_job_keeps_its_fields_and_defaults()
    {
        var rep = Jobs.Unique("fields");
        await _client.AddAsync([new JobSpec { Cmd = "/usr/bin/sort -k2 data.txt", Cwd = "/tmp", RepGroup = rep, Priority = 7, Retries = 1, Env = ["FOO=bar"] }], Ct);

        var job = await _client.GetByCmdAsync("/usr/bin/sort -k2 data.txt", "/tmp", getEnv: true, cancellationToken: Ct);

        Assert.NotNull(job);
        Assert.Equal(JobKey.For("/tmp", "/usr/bin/sort -k2 data.txt"), job.Key);
        Assert.Equal(JobState.Ready, job.State);
        Assert.Equal("sort", job.ReqGroup);
        Assert.Equal(JobQueueDefaults.RamMb, job.RamMb);
        Assert.Equal(JobQueueDefaults.Time, job.Time);
        Assert.Equal(1, job.Cores);
        Assert.Equal(7, job.Priority);
        Assert.Equal(2, job.UntilBuried);
        Assert.Equal("1000:60:1", job.Queue);
        Assert.Equal(["FOO=bar"], job.Env);
    }

    [Fact]
    public async Task A_job_added_without_an_environment_carries_the_adding_clients()
    {
        var rep = Jobs.Unique("env");
        await _client.AddAsync([Jobs.Spec("printenv PATH", rep)], Ct);

        var job = await _client.GetByCmdAsync("printenv PATH", "/tmp", getEnv: true, cancellationToken: Ct);

        Assert.Contains($"PATH={Environment.GetEnvironmentVariable("PATH")}", job!.Env!);
    }

    [Fact]
    public async Task A_hundred_thousand_jobs_can_be_added_in_one_call()
    {
        var rep = Jobs.Unique("many");
        var jobs = Enumerable.Range(0, 100_000).Select(i => Jobs.Spec($"true {i}", rep)).ToList();

        var result = await _client.AddAsync(jobs, Ct);

        Assert.Equal(new AddResult(100_000, 0), result);
        var counts = Assert.Single(await _client.GetRepGroupCountsAsync(rep, Ct));
        Assert.Equal(100_000, counts.Ready);
    }
}
