using System.Runtime.CompilerServices;

namespace JobQueue;

/// <summary>One page of a listing, and the cursor of the next (null after the last page).</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.JobPage")]
public sealed record JobPage([property: Id(0)] IReadOnlyList<Job> Jobs, [property: Id(1)] string? Next)
{
    /// <summary>Every job of a listing, asking <paramref name="page"/> for one page after another (given the cursor) as the caller reads on.</summary>
    public static async IAsyncEnumerable<Job> ReadAllAsync(Func<string?, CancellationToken, Task<JobPage>> page, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        string? after = null;
        do
        {
            var next = await page(after, cancellationToken).ConfigureAwait(false);
            foreach (var job in next.Jobs)
            {
                yield return job;
            }

            after = next.Next;
        }
        while (after is not null);
    }
}
