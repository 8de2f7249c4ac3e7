using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

public sealed class BadInputTests(QueueClusterFixture fixture) : IClassFixture<QueueClusterFixture>
{
    private readonly JobQueueClient _client = fixture.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> BadJobs => new()
    {
        { "empty cmd", nameof(JobSpec.Cmd) },
        { "whitespace cmd", nameof(JobSpec.Cmd) },
        { "huge cmd", nameof(JobSpec.Cmd) },
        { "nul in cmd", nameof(JobSpec.Cmd) },
        { "relative cwd", nameof(JobSpec.Cwd) },
        { "missing cwd", nameof(JobSpec.Cwd) },
        { "nul in cwd", nameof(JobSpec.Cwd) },
        { "negative ram", nameof(JobSpec.RamMb) },
        { "negative time", nameof(JobSpec.Time) },
        { "negative cores", nameof(JobSpec.Cores) },
        { "priority 256", nameof(JobSpec.Priority) },
        { "negative priority", nameof(JobSpec.Priority) },
        { "retries 256", nameof(JobSpec.Retries) },
        { "override 3", nameof(JobSpec.Override) },
        { "empty rep group", nameof(JobSpec.RepGroup) },
        { "nul in env", "Env[0]" },
    };

    [Theory]
    [MemberData(nameof(BadJobs))]
    public async Task A_bad_job_rejects_the_whole_batch_naming_its_index_and_field(string problem, string field)
    {
        var rep = Jobs.Unique("bad");
        var good = Jobs.Spec("echo fine", rep);
        var bad = Break(Jobs.Spec("echo bad", rep), problem);

        var error = await Assert.ThrowsAsync<JobQueueException>(() => _client.AddAsync([good, good with { Cmd = "echo fine 2" }, bad], Ct));

        Assert.Equal(JobQueueErrorKind.BadJob, error.Kind);
        var reported = Assert.Single(error.Problems);
        Assert.Equal((2, field), (reported.Index, reported.Field));
        Assert.Contains($"job 2", error.Message, StringComparison.Ordinal);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.Empty(await _client.GetByRepGroupAsync(rep, cancellationToken: Ct));
        Assert.Null(await _client.GetByCmdAsync("echo fine", "/tmp", cancellationToken: Ct));
    }

    [Fact]
    public async Task Every_bad_job_of_a_batch_is_listed()
    {
        var rep = Jobs.Unique("bad-many");
        JobSpec[] jobs = [Jobs.Spec("", rep), Jobs.Spec("echo ok", rep), Jobs.Spec("echo x", rep, priority: 300) with { Cwd = "rel" }];

        var error = await Assert.ThrowsAsync<JobQueueException>(() => _client.AddAsync(jobs, Ct));

        Assert.Equal(
            [(0, "Cmd"), (2, "Cwd"), (2, "Priority")],
            error.Problems.Select(p => (p.Index, p.Field)).ToArray());
        Assert.Contains(jobs[2].Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_validates_batches_that_bypass_the_client()
    {
        var rep = Jobs.Unique("bypass");
        var adder = fixture.Cluster.Client.GetGrain<JobQueue.Grains.IJobAdderGrain>(0);
        var env = EnvironmentBlob.Encode(["A=1"]);
        var batch = new AddBatch([Jobs.Spec("echo ok", rep), Jobs.Spec("echo bad", rep, retries: -1)], [env.Key, env.Key], new Dictionary<string, byte[]> { [env.Key] = env.Compressed }, 0);

        var error = await Assert.ThrowsAsync<JobQueueException>(() => adder.Add(batch));

        Assert.Equal(JobQueueErrorKind.BadJob, error.Kind);
        Assert.Equal((1, "Retries"), (error.Problems.Single().Index, error.Problems.Single().Field));
        Assert.Empty(await _client.GetByRepGroupAsync(rep, cancellationToken: Ct));
    }

    [Fact]
    public async Task A_negative_reserve_timeout_is_a_bad_request()
    {
        var error = await Assert.ThrowsAsync<JobQueueException>(() => _client.ReserveAsync(TimeSpan.FromSeconds(-1), Ct));
        Assert.Equal(JobQueueErrorKind.BadRequest, error.Kind);
    }

    private static JobSpec Break(JobSpec job, string problem) => problem switch
    {
        "empty cmd" => job with { Cmd = "" },
        "whitespace cmd" => job with { Cmd = " \t\n" },
        "huge cmd" => job with { Cmd = "echo " + new string('x', JobQueueDefaults.MaxCmdBytes) },
        "nul in cmd" => job with { Cmd = "echo a\0b" },
        "relative cwd" => job with { Cwd = "some/dir" },
        "missing cwd" => job with { Cwd = "" },
        "nul in cwd" => job with { Cwd = "/tmp/\0" },
        "negative ram" => job with { RamMb = -1 },
        "negative time" => job with { Time = TimeSpan.FromSeconds(-5) },
        "negative cores" => job with { Cores = -2 },
        "priority 256" => job with { Priority = 256 },
        "negative priority" => job with { Priority = -1 },
        "retries 256" => job with { Retries = 256 },
        "override 3" => job with { Override = 3 },
        "empty rep group" => job with { RepGroup = "" },
        "nul in env" => job with { Env = ["A=\0"] },
        _ => throw new ArgumentOutOfRangeException(nameof(problem)),
    };
}
