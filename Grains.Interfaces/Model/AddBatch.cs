namespace JobQueue;

/// <summary>A batch of jobs to add; environments travel once per batch, keyed by content.</summary>
/// <param name="Jobs">The jobs.</param>
/// <param name="EnvKeys">Each job's environment key.</param>
/// <param name="Envs">The environments, by key.</param>
/// <param name="FirstIndex">The index of the first job in the whole add, for error messages.</param>
/// <param name="SkipCompleted">Jobs that already completed count as existed instead of running again.</param>
[GenerateSerializer, Immutable, Alias("JobQueue.AddBatch")]
public sealed record AddBatch(
    [property: Id(0)] IReadOnlyList<JobSpec> Jobs,
    [property: Id(1)] IReadOnlyList<string> EnvKeys,
    [property: Id(2)] IReadOnlyDictionary<string, byte[]> Envs,
    [property: Id(3)] int FirstIndex,
    [property: Id(4)] bool SkipCompleted = false)
{
    /// <summary>
    /// Splits <paramref name="jobs"/> into batches of <paramref name="chunkSize"/>, each carrying the environments its
    /// jobs use once; a job without one gets <paramref name="defaultEnv"/> (asked for only if needed).
    /// </summary>
    public static IEnumerable<AddBatch> Split(IReadOnlyList<JobSpec> jobs, Func<IReadOnlyList<string>> defaultEnv, int chunkSize, bool skipCompleted)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(defaultEnv);
        var envs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var fallback = new Lazy<EnvironmentBlob>(() => EnvironmentBlob.Encode(defaultEnv()));
        var byList = new Dictionary<IReadOnlyList<string>, EnvironmentBlob>(ReferenceEqualityComparer.Instance);
        var envKeys = new string[jobs.Count];
        for (var i = 0; i < jobs.Count; i++)
        {
            EnvironmentBlob blob;
            if (jobs[i].Env is { } env)
            {
                if (!byList.TryGetValue(env, out blob!))
                {
                    blob = EnvironmentBlob.Encode(env);
                    byList[env] = blob;
                }
            }
            else
            {
                blob = fallback.Value;
            }

            envs[blob.Key] = blob.Compressed;
            envKeys[i] = blob.Key;
        }

        for (var start = 0; start < jobs.Count; start += chunkSize)
        {
            var count = Math.Min(chunkSize, jobs.Count - start);
            var chunkJobs = jobs.Skip(start).Take(count).Select(j => j with { Env = null }).ToArray();
            var chunkKeys = envKeys.AsSpan(start, count).ToArray();
            var chunkEnvs = chunkKeys.Distinct(StringComparer.Ordinal).ToDictionary(k => k, k => envs[k], StringComparer.Ordinal);
            yield return new AddBatch(chunkJobs, chunkKeys, chunkEnvs, start, skipCompleted);
        }
    }
}
