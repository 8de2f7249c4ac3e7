using JobQueue.Grains.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobQueue.Tests.Storage;

/// <summary>The behaviour every job store must have; run against SQLite and PostgreSQL.</summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    private const int RamKind = 0, TimeKind = 1;
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    protected IJobStore Store { get; private set; } = null!;

    private StoreWriter Writer { get; set; } = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Store = await CreateStoreAsync();
        await Store.InitializeAsync(Ct);
        Writer = new StoreWriter(Store, NullLogger<StoreWriter>.Instance);
        Writer.Start();
    }

    public virtual async ValueTask DisposeAsync()
    {
        await Writer.DisposeAsync();
        await Store.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Insert_skips_keys_that_are_already_incomplete()
    {
        var first = await InsertAsync(Job("a"), Job("b"));
        var second = await InsertAsync(Job("b"), Job("c"));

        Assert.Equal(["a", "b"], first.Jobs.Select(j => j.Cmd));
        Assert.Equal(["c"], second.Jobs.Select(j => j.Cmd));
        Assert.Equal(1, second.Existed);
        Assert.True(second.Jobs[0].Seq > first.Jobs[1].Seq, "sequence numbers grow in add order");
        Assert.Equal(3, await CountAsync("rep", JobState.Ready));
    }

    [Fact]
    public async Task A_stored_job_reads_back_field_for_field()
    {
        var job = Job("round trip") with
        {
            RamMb = 1234, Time = TimeSpan.FromMinutes(90), Cores = 3, UserRamMb = 1000, Override = 1, Priority = 200, Retries = 7,
            UntilBuried = 8, AddedAt = Now,
        };
        var stored = (await InsertAsync(job)).Jobs.Single();

        var read = await Store.GetJobAsync(stored.Key, Ct);

        Assert.Equal(stored, read! with { StdOut = null, StdErr = null });
    }

    [Fact]
    public async Task An_update_is_fenced_by_the_version_it_read()
    {
        var job = (await InsertAsync(Job("fenced"))).Jobs.Single();
        var reserved = job with { Version = 2, State = JobState.Reserved, ReservedBy = "me/1", DueAt = Now };

        Assert.IsType<Committed>(await Writer.WriteAsync(new JobChange(job, reserved, JobChangeKind.Update)));
        var stale = await Writer.WriteAsync(new JobChange(job, job with { Version = 2, State = JobState.Buried }, JobChangeKind.Update));

        Assert.IsType<VersionConflict>(stale);
        var read = await Store.GetJobAsync(job.Key, Ct);
        Assert.Equal((JobState.Reserved, "me/1", 2L), (read!.State, read.ReservedBy, read.Version));
        Assert.Equal(0, await CountAsync("rep", JobState.Ready));
        Assert.Equal(1, await CountAsync("rep", JobState.Reserved));
        Assert.Equal(0, await CountAsync("rep", JobState.Buried));
    }

    [Fact]
    public async Task A_conflict_in_a_batch_refuses_only_that_change_and_the_counts_follow_what_committed()
    {
        var jobs = (await InsertAsync(Job("batch-a"), Job("batch-b"), Job("batch-c"))).Jobs.ToList();
        var stale = jobs[1] with { Version = 0 };
        var batch = new StoreWrite[]
        {
            new JobChange(jobs[0], jobs[0] with { Version = 2, State = JobState.Reserved, ReservedBy = "me/1", DueAt = Now }, JobChangeKind.Update),
            new JobChange(stale, stale with { Version = 1, State = JobState.Buried }, JobChangeKind.Update),
            new JobChange(jobs[2], null, JobChangeKind.Delete),
        };

        var outcomes = await Store.WriteAsync(batch, Ct);

        Assert.Equal([typeof(Committed), typeof(VersionConflict), typeof(Committed)], outcomes.Select(o => o.GetType()));
        Assert.Equal(JobState.Reserved, (await Store.GetJobAsync(jobs[0].Key, Ct))!.State);
        Assert.Equal(JobState.Ready, (await Store.GetJobAsync(jobs[1].Key, Ct))!.State);
        Assert.Null(await Store.GetJobAsync(jobs[2].Key, Ct));
        Assert.Equal((1, 1, 0), (await CountAsync("rep", JobState.Ready), await CountAsync("rep", JobState.Reserved), await CountAsync("rep", JobState.Buried)));
    }

    [Fact]
    public async Task A_stale_writer_of_an_archived_job_cannot_touch_the_job_added_again_even_at_the_same_version()
    {
        var first = (await InsertAsync(Job("again"))).Jobs.Single();
        var running = first with { Version = 2, State = JobState.Running, ReservedBy = "old/1", DueAt = Now };
        Assert.IsType<Committed>(await Writer.WriteAsync(new JobChange(first, running, JobChangeKind.Update)));
        Assert.IsType<Committed>(await Writer.WriteAsync(new JobChange(running, running with { Version = 3, State = JobState.Complete, ReservedBy = null }, JobChangeKind.Archive)));
        var second = (await InsertAsync(Job("again"))).Jobs.Single();
        var reserved = second with { Version = 2, State = JobState.Reserved, ReservedBy = "new/2", DueAt = Now };
        Assert.IsType<Committed>(await Writer.WriteAsync(new JobChange(second, reserved, JobChangeKind.Update)));

        // The old run's writer still holds version 2, which the new row has reached too.
        var stale = await Writer.WriteAsync(new JobChange(running, running with { Version = 3, State = JobState.Buried, ReservedBy = null }, JobChangeKind.Update));
        var staleDelete = await Writer.WriteAsync(new JobChange(running, null, JobChangeKind.Delete));

        Assert.IsType<VersionConflict>(stale);
        Assert.IsType<VersionConflict>(staleDelete);
        var read = await Store.GetJobAsync(first.Key, Ct);
        Assert.Equal((JobState.Reserved, "new/2", second.Seq), (read!.State, read.ReservedBy, read.Seq));
    }

    [Fact]
    public async Task Two_managers_adding_overlapping_batches_at_once_neither_deadlock_nor_miscount()
    {
        await using var other = await OpenAgainAsync();
        var otherWriter = new StoreWriter(other, NullLogger<StoreWriter>.Instance);
        otherWriter.Start();
        try
        {
            for (var round = 0; round < 10; round++)
            {
                var rep = $"overlap{round}";
                var jobs = Enumerable.Range(0, 200).Select(i => Job($"overlap {round} {i}") with { RepGroup = rep }).ToArray();
                var forward = Writer.WriteAsync(new InsertJobs(jobs, new Dictionary<string, byte[]>()));
                var backward = otherWriter.WriteAsync(new InsertJobs([.. jobs.Reverse()], new Dictionary<string, byte[]>()));
                var results = (await Task.WhenAll(forward, backward)).Cast<Inserted>().ToArray();

                Assert.Equal(200, results.Sum(r => r.Jobs.Count));
                Assert.Equal(200, results.Sum(r => r.Existed));
                Assert.Equal(200, await CountAsync(rep, JobState.Ready));
            }
        }
        finally
        {
            await otherWriter.DisposeAsync();
        }
    }

    [Fact]
    public async Task Archive_moves_the_run_to_history_and_frees_the_key()
    {
        var job = (await InsertAsync(Job("archived"))).Jobs.Single();
        var done = job with
        {
            Version = 2, State = JobState.Complete, Exited = true, PeakRamMb = 250, Walltime = TimeSpan.FromMinutes(40),
            StdOut = Compression.Compress("out"u8), EndedAt = Now,
        };

        Assert.IsType<Committed>(await Writer.WriteAsync(new JobChange(job, done, JobChangeKind.Archive)));

        Assert.Null(await Store.GetJobAsync(job.Key, Ct));
        var runs = await Store.Monitor.GetRunsAsync(job.Key, withOutput: true, Ct);
        Assert.Equal("out", System.Text.Encoding.UTF8.GetString(Compression.Decompress(Assert.Single(runs).StdOut!)));
        Assert.Equal(1, await CountAsync("rep", JobState.Complete));
        Assert.Equal(0, await CountAsync("rep", JobState.Ready));
        var history = await Store.GetReqGroupHistoryAsync("req", Ct);
        Assert.Equal([new HistogramBucket(3, 1)], history.Ram);
        Assert.Equal([new HistogramBucket(2, 1)], history.Time);

        Assert.Single((await InsertAsync(Job("archived"))).Jobs);
        Assert.Single(await Store.Monitor.GetLatestRunsAsync([job.Key], false, Ct));
    }

    [Fact]
    public async Task A_run_that_printed_nothing_keeps_empty_output_apart_from_none()
    {
        var job = (await InsertAsync(Job("silent"))).Jobs.Single();
        var done = job with { Version = 2, State = JobState.Complete, Exited = true, StdOut = [], StdErr = null, EndedAt = Now };

        Assert.IsType<Committed>(await Writer.WriteAsync(new JobChange(job, done, JobChangeKind.Archive)));

        var run = Assert.Single(await Store.Monitor.GetRunsAsync(job.Key, withOutput: true, Ct));
        Assert.Empty(Assert.IsType<byte[]>(run.StdOut));
        Assert.Null(run.StdErr);
        Assert.Equal(job.Seq, run.Seq);
    }

    [Fact]
    public async Task Delete_removes_the_row_and_its_count()
    {
        var job = (await InsertAsync(Job("deleted"))).Jobs.Single();

        Assert.IsType<Committed>(await Writer.WriteAsync(new JobChange(job, null, JobChangeKind.Delete)));

        Assert.Null(await Store.GetJobAsync(job.Key, Ct));
        Assert.Equal(0, await CountAsync("rep", JobState.Ready));
    }

    [Fact]
    public async Task Ready_jobs_come_best_first_per_queue()
    {
        await InsertAsync(Job("low", priority: 1), Job("high", priority: 9), Job("other queue", priority: 50, queue: "q2"), Job("low 2", priority: 1));

        var ready = await Store.GetReadyAsync("q1", 10, Ct);

        Assert.Equal([JobKey.For("/tmp", "high"), JobKey.For("/tmp", "low"), JobKey.For("/tmp", "low 2")], ready.Select(r => r.Key));
        Assert.Equal(["q1", "q2"], await Store.GetQueuesAsync(Ct));
        Assert.Single(await Store.GetReadyAsync("q1", 1, Ct));
    }

    [Fact]
    public async Task Groups_without_ready_jobs_are_forgotten_until_their_next_change()
    {
        var jobs = (await InsertAsync(Job("stays ready"), Job("gets reserved", queue: "q2"))).Jobs;
        var reserved = jobs[1] with { Version = 2, State = JobState.Reserved, ReservedBy = "me/1", DueAt = Now };
        await Writer.WriteAsync(new JobChange(jobs[1], reserved, JobChangeKind.Update));

        Assert.Equal(1, await Store.PruneQueuesAsync(Ct));
        Assert.Equal(["q1"], await Store.GetQueuesAsync(Ct));
        Assert.Equal(0, await Store.PruneQueuesAsync(Ct));

        await Writer.WriteAsync(new JobChange(reserved, reserved with { Version = 3, State = JobState.Ready, ReservedBy = null, DueAt = null }, JobChangeKind.Update));
        Assert.Equal(["q1", "q2"], await Store.GetQueuesAsync(Ct));
    }

    [Fact]
    public async Task Due_jobs_are_found_soonest_first_and_page_by_a_cursor()
    {
        var jobs = (await InsertAsync(Job("later"), Job("sooner"), Job("never"), Job("same time, added first"), Job("same time, added last"))).Jobs;
        async Task DueAsync(JobRecord job, int seconds) =>
            await Writer.WriteAsync(new JobChange(job, job with { Version = 2, State = JobState.Delayed, DueAt = Now.AddSeconds(seconds) }, JobChangeKind.Update));
        await DueAsync(jobs[0], 20);
        await DueAsync(jobs[1], 10);
        await DueAsync(jobs[4], 30);
        await DueAsync(jobs[3], 30);
        async Task<List<string>> Keys(DateTimeOffset now, DueJob? after, int limit) => [.. (await Store.GetDueAsync(now, after, limit, Ct)).Select(d => d.Key)];

        Assert.Empty(await Keys(Now, null, 10));
        Assert.Equal([jobs[1].Key], await Keys(Now.AddSeconds(15), null, 10));
        string[] all = [jobs[1].Key, jobs[0].Key, jobs[3].Key, jobs[4].Key];
        Assert.Equal(all, await Keys(Now.AddMinutes(1), null, 10));

        // Page by page, each page after the last job of the one before: every due job once, in order.
        var paged = new List<string>();
        DueJob? cursor = null;
        IReadOnlyList<DueJob> page;
        do
        {
            page = await Store.GetDueAsync(Now.AddMinutes(1), cursor, 1, Ct);
            paged.AddRange(page.Select(d => d.Key));
            cursor = page.LastOrDefault() ?? cursor;
        }
        while (page.Count > 0);
        Assert.Equal(all, paged);
    }

    [Fact]
    public async Task Environments_are_stored_once_per_content()
    {
        var env = EnvironmentBlob.Encode(["B=2", "A=1"]);
        await Writer.WriteAsync(new InsertJobs([Job("e1") with { EnvKey = env.Key }], new Dictionary<string, byte[]> { [env.Key] = env.Compressed }));
        await Writer.WriteAsync(new InsertJobs([Job("e2") with { EnvKey = env.Key }], new Dictionary<string, byte[]> { [env.Key] = env.Compressed }));

        var stored = await Store.GetEnvAsync(env.Key, Ct);

        Assert.True(EnvironmentBlob.TryDecode(env.Key, stored!, out var entries));
        Assert.Equal(["A=1", "B=2"], entries);
        Assert.Null(await Store.GetEnvAsync("missing", Ct));
    }

    [Fact]
    public async Task Groups_list_oldest_first_with_their_counts()
    {
        var jobs = (await InsertAsync(Job("f1"), Job("f2"), Job("f3"), Job("ok"))).Jobs;
        foreach (var job in jobs.Take(3))
        {
            await Writer.WriteAsync(new JobChange(job, job with { Version = 2, State = JobState.Buried, Exited = true, ExitCode = 2, FailReason = FailReasons.Exit }, JobChangeKind.Update));
        }

        var counts = await Store.Monitor.GetCountsAsync("rep", Ct);
        var buried = new CountKey("rep", JobState.Buried, 2, FailReasons.Exit);

        Assert.Contains(new CountRow(buried, 3), counts);
        Assert.Equal(["f1", "f2"], (await Store.Monitor.GetGroupAsync("rep", buried, 2, false, Ct)).Select(j => j.Cmd));
        Assert.Equal(["f1", "f2", "f3"], (await Store.Monitor.GetGroupAsync(null, buried, 10, false, Ct)).Select(j => j.Cmd));
        Assert.Equal(["f1", "f2", "f3", "ok"], (await Store.Monitor.GetAllAsync("rep", null, false, Ct)).Select(j => j.Cmd));
        Assert.Equal(["ok"], (await Store.Monitor.GetAllAsync(null, JobState.Ready, false, Ct)).Select(j => j.Cmd));
    }

    [Fact]
    public async Task A_failing_write_does_not_fail_the_writes_batched_with_it()
    {
        var job = (await InsertAsync(Job("neighbour"))).Jobs.Single();
        var poisoned = Job("poison") with { Cmd = null! };

        var writes = new[]
        {
            Writer.WriteAsync(new InsertJobs([poisoned], new Dictionary<string, byte[]>())),
            Writer.WriteAsync(new JobChange(job, job with { Version = 2, State = JobState.Buried }, JobChangeKind.Update)),
        };

        var error = await Assert.ThrowsAsync<JobQueueException>(() => writes[0]);
        Assert.Equal(JobQueueErrorKind.DbError, error.Kind);
        Assert.IsType<Committed>(await writes[1]);
        Assert.Equal(JobState.Buried, (await Store.GetJobAsync(job.Key, Ct))!.State);
    }

    [Fact]
    public async Task Many_concurrent_changes_are_committed_together()
    {
        var jobs = (await InsertAsync([.. Enumerable.Range(0, 500).Select(i => Job($"job {i}"))])).Jobs;

        var outcomes = await Task.WhenAll(jobs.Select(j => Writer.WriteAsync(new JobChange(j, j with { Version = 2, State = JobState.Buried }, JobChangeKind.Update))));

        Assert.All(outcomes, o => Assert.IsType<Committed>(o));
        Assert.Equal(500, await CountAsync("rep", JobState.Buried));
        Assert.True(Writer.BatchesCommitted < 500, $"{Writer.BatchesCommitted} transactions for 500 changes: writes were not grouped");
    }

    protected abstract Task<IJobStore> CreateStoreAsync();

    [Fact]
    public async Task Run_statistics_follow_jobs_as_they_finish_and_match_a_recount_of_the_rows()
    {
        var jobs = (await InsertAsync(Job("s1") with { RepGroup = "stats" }, Job("s2") with { RepGroup = "stats" }, Job("s3") with { RepGroup = "stats" })).Jobs;
        JobRecord Ran(JobRecord job, int ramMb, int wallSeconds, JobState state, int exitCode) => job with
        {
            Version = 2, State = state, Exited = true, ExitCode = exitCode, PeakRamMb = ramMb,
            Walltime = TimeSpan.FromSeconds(wallSeconds), CpuTime = TimeSpan.FromSeconds(wallSeconds / 2.0), EndedAt = Now,
        };
        Assert.IsType<Committed>(await Writer.WriteAsync(new JobChange(jobs[0], Ran(jobs[0], 100, 10, JobState.Complete, 0), JobChangeKind.Archive)));
        Assert.IsType<Committed>(await Writer.WriteAsync(new JobChange(jobs[1], Ran(jobs[1], 300, 30, JobState.Complete, 0), JobChangeKind.Archive)));
        var buried = Ran(jobs[2], 40, 2, JobState.Buried, 2);
        Assert.IsType<Committed>(await Writer.WriteAsync(new JobChange(jobs[2], buried, JobChangeKind.Update)));

        var (rows, buckets) = await Store.Monitor.GetStatsAsync("stats", Ct);
        var complete = rows.Single(r => r.Key.State == JobState.Complete).Totals;
        Assert.Equal((2L, 400.0, 40.0, 20.0), (complete.N, complete.RamSum, complete.WallSum, complete.CpuSum));
        Assert.Equal(Spread.From(2, 400, 100_000), new Spread(200, 100));
        Assert.Equal(
            [(RamKind, RunBuckets.Of(RunBuckets.RamMb, 100), 1L), (RamKind, RunBuckets.Of(RunBuckets.RamMb, 300), 1L), (TimeKind, RunBuckets.Of(RunBuckets.WallSeconds, 10), 2L)],
            buckets.Where(b => b.Key.State == JobState.Complete).OrderBy(b => b.Kind).ThenBy(b => b.Bucket).Select(b => (b.Kind, b.Bucket, b.N)));

        // A kicked job leaves its group's statistics; the buried group is empty again.
        Assert.IsType<Committed>(await Writer.WriteAsync(new JobChange(buried, buried with { Version = 3, State = JobState.Reserved }, JobChangeKind.Update)));
        (rows, _) = await Store.Monitor.GetStatsAsync("stats", Ct);
        Assert.DoesNotContain(rows, r => r.Key.State == JobState.Buried);

        // What was kept as jobs changed is what a recount of the rows gives (the backfill of older databases).
        var kept = (await Store.Monitor.GetStatsAsync("stats", Ct)).Rows.OrderBy(r => r.Key.State).ToList();
        await ExecuteSqlAsync("DELETE FROM jq_stats; DELETE FROM jq_stats_hist; DELETE FROM jq_meta WHERE name = 'stats_version'");
        await using var reopened = await OpenAgainAsync();
        var recounted = (await reopened.Monitor.GetStatsAsync("stats", Ct)).Rows.OrderBy(r => r.Key.State).ToList();
        Assert.Equal(kept, recounted);
    }

    [Fact]
    public async Task Pages_resume_after_their_cursor_and_cover_every_job_once()
    {
        var jobs = Enumerable.Range(0, 7).Select(i => Job($"page {i}", queue: i % 2 == 0 ? "q1" : "q2") with { RepGroup = "paged" }).ToArray();
        await InsertAsync(jobs);
        var seen = new List<string>();
        JobCursor? after = null;
        while (true)
        {
            var page = await Store.Monitor.GetPageAsync(new JobFilter { RepGroup = "paged" }, after, 3, withOutput: false, Ct);
            seen.AddRange(page.Select(p => p.Job.Key));
            if (page.Count < 3)
            {
                break;
            }

            after = JobCursor.Parse(page[^1].Cursor.ToString());
        }

        Assert.Equal(jobs.Select(j => j.Key).Order(), seen.Order());
        Assert.Equal(7, seen.Distinct().Count());
    }

    /// <summary>Runs SQL on the store's database directly.</summary>
    protected abstract Task ExecuteSqlAsync(string sql);

    /// <summary>A second store on the same database, as a second manager of a cluster has (initialized).</summary>
    protected abstract Task<IJobStore> OpenAgainAsync();

    protected static JobRecord Job(string cmd, int priority = 0, string queue = "q1") => Records.Ready(cmd, Now, priority, queue);

    private async Task<Inserted> InsertAsync(params JobRecord[] jobs) =>
        (Inserted)await Writer.WriteAsync(new InsertJobs(jobs, new Dictionary<string, byte[]>()));

    private async Task<long> CountAsync(string repGroup, JobState state) =>
        (await Store.Monitor.GetCountsAsync(repGroup, Ct)).Where(c => c.Key.State == state).Sum(c => c.Count);
}
