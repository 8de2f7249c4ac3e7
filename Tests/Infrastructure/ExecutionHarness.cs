using JobQueue.Client.Execution;

namespace JobQueue.Tests.Infrastructure;

/// <summary>Adds jobs with queues of their own and runs them through ExecuteAsync, for tests of real commands.</summary>
public sealed class ExecutionHarness(JobQueueClient client)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static JobSpec Spec(string cmd, int retries = 3, int ramMb = 0) => new()
    {
        // A comment makes each command (and so each job key) unique to its test.
        Cmd = $"{cmd} # {Guid.NewGuid():N}",
        Cwd = "/tmp",
        RepGroup = Jobs.Unique("exec"),
        ReqGroup = Jobs.Unique("exec-req"),
        Retries = retries,

        // A memory size of its own gives each job a queue of its own.
        RamMb = ramMb == 0 ? Jobs.UniqueRam() : ramMb,
    };

    public async Task<Job> AddAsync(JobSpec spec)
    {
        Assert.Equal(new AddResult(1, 0), await client.AddAsync([spec], Ct));
        return (await client.GetByCmdAsync(spec.Cmd, spec.Cwd, cancellationToken: Ct))!;
    }

    public async Task<Job> GetAsync(Job job, bool getStd = false, bool getEnv = false) =>
        (await client.GetByCmdAsync(job.Cmd, job.Cwd, getStd, getEnv, Ct))!;

    public async Task<Job> ReserveAsync(string queue)
    {
        var job = await client.ReserveScheduledAsync(TimeSpan.FromSeconds(10), queue, Ct);
        Assert.NotNull(job);
        return job;
    }

    public async Task<ExecutionResult> ReserveAndExecuteAsync(string queue, ExecuteOptions? options = null) =>
        await client.ExecuteAsync(await ReserveAsync(queue), "bash", options, Ct);
}
