using Microsoft.Extensions.Options;

namespace JobQueue.Grains;

/// <summary>Checks the "Queue" settings at start: a bad one stops the manager with a line naming it.</summary>
public sealed class JobQueueOptionsValidator : IValidateOptions<JobQueueOptions>
{
    /// <summary>The shortest lease a runner can keep: it touches at a quarter of it, and needs time to do so.</summary>
    public static readonly TimeSpan MinTimeToRelease = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, JobQueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Positive(string setting, TimeSpan value)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"Queue:{setting} is {value}; it must be more than zero");
            }
        }

        void AtLeast(string setting, long value, long min)
        {
            if (value < min)
            {
                failures.Add($"Queue:{setting} is {value}; it must be at least {min}");
            }
        }

        if (options.TimeToRelease < MinTimeToRelease)
        {
            failures.Add($"Queue:TimeToRelease is {options.TimeToRelease}; leases shorter than {MinTimeToRelease.TotalSeconds:F0} s cannot be touched in time");
        }

        if (options.ReleaseDelay < TimeSpan.Zero)
        {
            failures.Add($"Queue:ReleaseDelay is {options.ReleaseDelay}; it must not be negative");
        }

        if (options.MaxReleaseDelay < options.ReleaseDelay)
        {
            failures.Add($"Queue:MaxReleaseDelay is {options.MaxReleaseDelay}; it must not be less than Queue:ReleaseDelay ({options.ReleaseDelay})");
        }

        if (options.LearningCacheTime < TimeSpan.Zero)
        {
            failures.Add($"Queue:LearningCacheTime is {options.LearningCacheTime}; it must not be negative");
        }

        Positive(nameof(options.MaxReserveWait), options.MaxReserveWait);
        Positive(nameof(options.StoreRecheckInterval), options.StoreRecheckInterval);
        Positive(nameof(options.SweepInterval), options.SweepInterval);
        Positive(nameof(options.QueuePruneInterval), options.QueuePruneInterval);
        AtLeast(nameof(options.ReadyBufferSize), options.ReadyBufferSize, 1);
        AtLeast(nameof(options.DueSweepPageSize), options.DueSweepPageSize, 1);
        AtLeast(nameof(options.DueSweepPages), options.DueSweepPages, 1);
        AtLeast(nameof(options.LearningMinimumRuns), options.LearningMinimumRuns, 1);
        AtLeast(nameof(options.MaxAddBatch), options.MaxAddBatch, 1);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
