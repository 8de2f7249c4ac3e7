using System.Text;
using JobQueue.Grains.Storage;

namespace JobQueue.Tests.Storage;

/// <summary>Updates write what changed, and only that.</summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task An_update_keeps_the_columns_it_does_not_change_and_writes_changed_output_even_over_a_row_read_without_it()
    {
        var job = (await InsertAsync(Job("narrow", priority: 3))).Jobs.Single();
        var failed = job with { Version = 2, State = JobState.Buried, Exited = true, ExitCode = 1, FailReason = "first", StdErr = [.. "first error"u8] };
        Assert.IsType<Committed>(await Writer.WriteAsync(new JobChange(job, failed, JobChangeKind.Update, OutputChanged: true)));

        // A row held without its output (as a listing reads it) fails again with none: the old output must not stay.
        var held = failed with { StdErr = null };
        var again = held with { Version = 3, FailReason = "second", StdErr = null };
        Assert.IsType<Committed>(await Writer.WriteAsync(new JobChange(held, again, JobChangeKind.Update, OutputChanged: true)));

        var stored = (await Store.GetJobAsync(job.Key, Ct))!;
        Assert.Equal((3, JobState.Buried, "second", 3, job.Queue, job.Cmd), (stored.Version, stored.State, stored.FailReason, stored.Priority, stored.Queue, stored.Cmd));
        Assert.Null(stored.StdErr);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(12)] // enough for the PostgreSQL store to send them as one statement over arrays
    public async Task Updates_of_one_shape_in_a_batch_each_write_their_own_values_and_a_stale_one_among_them_is_refused_alone(int count)
    {
        var jobs = (await InsertAsync([.. Enumerable.Range(0, count).Select(i => Job($"shape-{i}"))])).Jobs.ToList();
        static JobChange Fail(JobRecord before, int i, string round) => new(
            before,
            before with { Version = before.Version + 1, State = JobState.Buried, Exited = true, ExitCode = i, FailReason = $"{round} {i}", StdErr = [.. Encoding.UTF8.GetBytes($"{round} error {i}")] },
            JobChangeKind.Update,
            OutputChanged: true);

        var first = await Store.WriteAsync(jobs.Select((j, i) => Fail(j, i, "first")).ToArray<StoreWrite>(), Ct);

        Assert.All(first, o => Assert.IsType<Committed>(o));
        var stored = await Task.WhenAll(jobs.Select(j => Store.GetJobAsync(j.Key, Ct)));
        Assert.Equal(
            Enumerable.Range(0, count).Select(i => (JobState.Buried, i, $"first {i}", $"first error {i}", 2L)),
            stored.Select(j => (j!.State, j.ExitCode, j.FailReason, Encoding.UTF8.GetString(j.StdErr!), j.Version)));

        // The same shape again, one of them written from a stale read: only it is refused.
        var second = await Store.WriteAsync(stored.Select((j, i) => Fail(i == 2 ? j! with { Version = 1 } : j!, i, "second")).ToArray<StoreWrite>(), Ct);

        Assert.Equal(Enumerable.Range(0, count).Select(i => i == 2 ? typeof(VersionConflict) : typeof(Committed)), second.Select(o => o.GetType()));
        var after = await Task.WhenAll(jobs.Select(j => Store.GetJobAsync(j.Key, Ct)));
        Assert.Equal(Enumerable.Range(0, count).Select(i => i == 2 ? "first 2" : $"second {i}"), after.Select(j => j!.FailReason));
        Assert.Equal(Enumerable.Range(0, count).Select(i => i == 2 ? 2L : 3L), after.Select(j => j!.Version));
        Assert.Equal(count, await CountAsync("rep", JobState.Buried));
    }
}
