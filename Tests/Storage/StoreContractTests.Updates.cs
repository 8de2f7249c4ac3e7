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
}
