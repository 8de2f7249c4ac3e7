using System.Diagnostics.Metrics;
using JobQueue.Grains.Storage;

namespace JobQueue.Grains.Metrics;

/// <summary>
/// The meter "JobQueue": what happened to jobs (counters, from committed writes only), how many are in each state
/// (gauges, from the counters table through <see cref="CountsSource"/>), and how long reserving and committing take.
/// </summary>
public sealed class JobQueueMetrics : IDisposable
{
    /// <summary>The meter's name, for exporters.</summary>
    public const string MeterName = "JobQueue";

    private readonly Meter _meter;
    private readonly Counter<long> _added;
    private readonly Counter<long> _reserved;
    private readonly Counter<long> _completed;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _buried;
    private readonly Histogram<double> _reserveWait;
    private readonly Histogram<double> _commitLatency;
    private readonly Histogram<long> _commitBatch;

    /// <summary>Creates the meter through <paramref name="factory"/> (the host's), or on its own without one.</summary>
    public JobQueueMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _added = _meter.CreateCounter<long>("jobqueue.jobs.added", "{job}", "Jobs added (not counting ones that existed)");
        _reserved = _meter.CreateCounter<long>("jobqueue.jobs.reserved", "{job}", "Jobs reserved by runners");
        _completed = _meter.CreateCounter<long>("jobqueue.jobs.completed", "{job}", "Jobs that completed and were archived");
        _failed = _meter.CreateCounter<long>("jobqueue.jobs.failed", "{job}", "Runs that ended in failure (released or buried)");
        _buried = _meter.CreateCounter<long>("jobqueue.jobs.buried", "{job}", "Jobs buried");
        foreach (var state in new[] { JobState.Dependent, JobState.Delayed, JobState.Ready, JobState.Running, JobState.Buried })
        {
            _meter.CreateObservableGauge($"jobqueue.jobs.{state.ToName()}", () => Count(state), "{job}", $"Jobs {state.ToName()} now");
        }

        _reserveWait = _meter.CreateHistogram<double>("jobqueue.reserve.wait", "s", "How long reserve calls waited, by outcome");
        _commitLatency = _meter.CreateHistogram<double>("jobqueue.store.commit.duration", "s", "How long committing one batch of writes took");
        _commitBatch = _meter.CreateHistogram<long>("jobqueue.store.commit.batch_size", "{write}", "Writes committed together in one transaction");
    }

    /// <summary>Where the state gauges read their figures: totals per state, or null while unknown.</summary>
    public Func<IReadOnlyDictionary<JobState, long>?>? CountsSource { get; set; }

    /// <summary>Records a committed batch and what its writes did to jobs.</summary>
    public void Committed(IReadOnlyList<StoreWrite> writes, IReadOnlyList<WriteOutcome> outcomes, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(writes);
        ArgumentNullException.ThrowIfNull(outcomes);
        _commitLatency.Record(elapsed.TotalSeconds);
        _commitBatch.Record(writes.Count);
        for (var i = 0; i < writes.Count; i++)
        {
            switch (writes[i], outcomes[i])
            {
                case (InsertJobs, Inserted inserted):
                    _added.Add(inserted.Jobs.Count);
                    break;
                case (JobChange change, Storage.Committed):
                    Changed(change);
                    break;
            }
        }
    }

    /// <summary>Records how long a reserve call waited and whether it got a job.</summary>
    public void ReserveWaited(TimeSpan waited, bool reserved) =>
        _reserveWait.Record(waited.TotalSeconds, new KeyValuePair<string, object?>("outcome", reserved ? "reserved" : "empty"));

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private void Changed(JobChange change)
    {
        var (before, after) = (change.Before.State, change.After?.State);
        if (after?.IsLeased() == true && !before.IsLeased())
        {
            // Reserved, or reserved and started in one commit.
            _reserved.Add(1);
        }

        if (change.Kind == JobChangeKind.Archive)
        {
            _completed.Add(1);
        }
        else if (before == JobState.Running && !change.Before.AwaitingPid && after is JobState.Delayed or JobState.Ready or JobState.Buried)
        {
            _failed.Add(1);
        }

        if (after == JobState.Buried && before != JobState.Buried)
        {
            _buried.Add(1);
        }
    }

    private IEnumerable<Measurement<long>> Count(JobState state)
    {
        if (CountsSource?.Invoke() is { } counts)
        {
            yield return new Measurement<long>(counts.GetValueOrDefault(state));
        }
    }
}
