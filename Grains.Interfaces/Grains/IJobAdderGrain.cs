namespace JobQueue.Grains;

/// <summary>Adds batches of jobs durably: the batch is committed in one transaction before the call returns.</summary>
[Alias("JobQueue.Grains.IJobAdderGrain")]
public interface IJobAdderGrain : IGrainWithIntegerKey
{
    /// <summary>Adds the batch; jobs whose key belongs to an incomplete job count as existed.</summary>
    [Alias("Add")]
    Task<AddResult> Add(AddBatch batch);
}
