using JobQueue.Grains;

namespace JobQueue.Silo.Scheduling;

/// <summary>Buries the ready jobs of a scheduler group that no machine of the cluster can run.</summary>
public static class ImpossibleJobs
{
    /// <summary>Reserves and buries up to 100 ready jobs of <paramref name="queue"/> with "resource requirements cannot be met".</summary>
    /// <returns>The keys of the jobs buried.</returns>
    public static async Task<IReadOnlyList<string>> BuryAsync(IGrainFactory grains, string queue, string clientId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var buried = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            var job = await grains.GetQueueGrain(queue).Reserve(clientId, TimeSpan.Zero, null, cancellationToken).ConfigureAwait(false);
            if (job is null)
            {
                break;
            }

            await grains.GetJobGrain(job.Key).Bury(Leases.Of(job)!, FailReasons.Resource).ConfigureAwait(false);
            buried.Add(job.Key);
        }

        return buried;
    }
}
