namespace JobQueue;

/// <summary>The sizes the cluster's schedulers offer, and whether the view is complete enough to call a job impossible.</summary>
/// <param name="Sizes">One per manager heard from lately.</param>
/// <param name="Settled">False just after the view was (re)built, before every live manager had time to report.</param>
/// <param name="Gateways">The "host:port" gateways of the managers heard from lately, for runners to fall back on.</param>
[GenerateSerializer, Immutable, Alias("JobQueue.CapacityView")]
public sealed record CapacityView(
    [property: Id(0)] IReadOnlyList<MachineSize> Sizes,
    [property: Id(1)] bool Settled,
    [property: Id(2)] IReadOnlyList<string> Gateways)
{
    /// <summary>True only when the view is settled and no machine of the cluster fits the job.</summary>
    public bool Impossible(int ramMb, int cores) => Settled && !Sizes.Any(s => s.Fits(ramMb, cores));
}
