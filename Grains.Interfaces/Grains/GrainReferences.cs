using System.Collections.Concurrent;

namespace JobQueue.Grains;

/// <summary>
/// References to the grains called once or more per job. <c>GetGrain&lt;IJobGrain&gt;(key)</c> makes Orleans resolve
/// the interface's type names on every call (it reads the interface's attributes and formats its name): a bulk action
/// over 100,000 jobs spent a twentieth of its CPU there, and <c>bench cycle</c> runs 14-20% more cycles per second
/// without it. Here the grain types are fixed (<c>[GrainType]</c> on their classes, the names Orleans derived from the
/// class names before) and each interface's type is resolved once.
/// </summary>
public static class GrainReferences
{
    /// <summary>The grain type of a job grain.</summary>
    public const string JobType = "job";

    /// <summary>The grain type of a queue grain (one per scheduler group).</summary>
    public const string QueueType = "queue";

    private static readonly GrainType Job = GrainType.Create(JobType);
    private static readonly GrainType Queue = GrainType.Create(QueueType);
    private static readonly ConcurrentDictionary<Type, GrainInterfaceType> Interfaces = new();

    /// <summary>The grain of the job with key <paramref name="key"/>.</summary>
    public static IJobGrain GetJobGrain(this IGrainFactory grains, string key) => Get<IJobGrain>(grains, Job, key);

    /// <summary>The queue grain of scheduler group <paramref name="schedulerGroup"/>.</summary>
    public static IQueueGrain GetQueueGrain(this IGrainFactory grains, string schedulerGroup) => Get<IQueueGrain>(grains, Queue, schedulerGroup);

    private static TGrain Get<TGrain>(IGrainFactory grains, GrainType type, string key)
        where TGrain : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        if (!Interfaces.TryGetValue(typeof(TGrain), out var face))
        {
            // An interface's type depends only on the interface, so the first reference made the usual way serves all.
            var first = grains.GetGrain<TGrain>(key);
            Interfaces[typeof(TGrain)] = ((GrainReference)(object)first).InterfaceType;
            return first;
        }

        return (TGrain)grains.GetGrain(GrainId.Create(type, key), face);
    }
}
