using System.Text;

namespace JobQueue;

/// <summary>Checks jobs before they are added, so that a bad batch is rejected whole with every problem named.</summary>
public static class JobSpecValidator
{
    /// <summary>Every problem of every job in <paramref name="jobs"/>; empty when all are valid.</summary>
    public static IReadOnlyList<JobProblem> Validate(IReadOnlyList<JobSpec> jobs, int firstIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var problems = new List<JobProblem>();
        for (var i = 0; i < jobs.Count; i++)
        {
            Validate(jobs[i], firstIndex + i, problems);
        }

        return problems;
    }

    /// <summary>Throws a BadJob <see cref="JobQueueException"/> naming every problem in <paramref name="jobs"/>.</summary>
    public static void ThrowIfInvalid(IReadOnlyList<JobSpec> jobs, string operation = "Add")
    {
        var problems = Validate(jobs);
        if (problems.Count > 0)
        {
            throw new JobQueueException(operation, problems);
        }
    }

    private static void Validate(JobSpec? job, int index, List<JobProblem> problems)
    {
        if (job is null)
        {
            problems.Add(new JobProblem(index, null, "Job", "is null"));
            return;
        }

        string? key = null;
        if (job.Cmd is not null && job.Cwd is not null && !job.Cmd.Contains('\0') && !job.Cwd.Contains('\0'))
        {
            key = job.Key;
        }

        void Problem(string field, string problem) => problems.Add(new JobProblem(index, key, field, problem));

        if (string.IsNullOrWhiteSpace(job.Cmd))
        {
            Problem(nameof(JobSpec.Cmd), "is empty");
        }
        else
        {
            if (job.Cmd.Contains('\0'))
            {
                Problem(nameof(JobSpec.Cmd), "contains a NUL byte");
            }

            var bytes = Encoding.UTF8.GetByteCount(job.Cmd);
            if (bytes > JobQueueDefaults.MaxCmdBytes)
            {
                Problem(nameof(JobSpec.Cmd), $"is {bytes} bytes long; the limit is {JobQueueDefaults.MaxCmdBytes}");
            }
        }

        if (string.IsNullOrWhiteSpace(job.Cwd))
        {
            Problem(nameof(JobSpec.Cwd), "is missing; it must be an absolute directory");
        }
        else if (job.Cwd.Contains('\0'))
        {
            Problem(nameof(JobSpec.Cwd), "contains a NUL byte");
        }
        else if (!Path.IsPathFullyQualified(job.Cwd))
        {
            Problem(nameof(JobSpec.Cwd), $"\"{job.Cwd}\" is not an absolute path");
        }
        else if (job.Cwd.Length > JobQueueDefaults.MaxNameLength)
        {
            Problem(nameof(JobSpec.Cwd), $"is longer than {JobQueueDefaults.MaxNameLength} characters");
        }

        CheckName(nameof(JobSpec.RepGroup), job.RepGroup, required: true, Problem);
        CheckName(nameof(JobSpec.ReqGroup), job.ReqGroup, required: false, Problem);

        if (job.RamMb < 0)
        {
            Problem(nameof(JobSpec.RamMb), $"is {job.RamMb}; it must not be negative");
        }

        if (job.Time < TimeSpan.Zero)
        {
            Problem(nameof(JobSpec.Time), $"is {job.Time}; it must not be negative");
        }
        else if (job.Time > TimeSpan.FromDays(3650))
        {
            Problem(nameof(JobSpec.Time), $"is {job.Time}; the limit is 10 years");
        }

        if (job.Cores < 0)
        {
            Problem(nameof(JobSpec.Cores), $"is {job.Cores}; it must not be negative");
        }
        else if (job.Cores > 100_000)
        {
            Problem(nameof(JobSpec.Cores), $"is {job.Cores}; the limit is 100000");
        }

        if (job.Override is < 0 or > 2)
        {
            Problem(nameof(JobSpec.Override), $"is {job.Override}; it must be 0, 1 or 2");
        }

        if (job.Priority is < 0 or > JobQueueDefaults.MaxByteValue)
        {
            Problem(nameof(JobSpec.Priority), $"is {job.Priority}; it must be between 0 and 255");
        }

        if (job.Retries is < 0 or > JobQueueDefaults.MaxByteValue)
        {
            Problem(nameof(JobSpec.Retries), $"is {job.Retries}; it must be between 0 and 255");
        }

        for (var g = 0; g < (job.LimitGroups?.Count ?? 0); g++)
        {
            if (global::JobQueue.LimitGroups.Parse(job.LimitGroups![g]).Problem is { } problem)
            {
                Problem($"LimitGroups[{g}]", problem);
            }
        }

        foreach (var (field, names) in new[] { (nameof(JobSpec.DepGroups), job.DepGroups), (nameof(JobSpec.Deps), job.Deps) })
        {
            for (var g = 0; g < (names?.Count ?? 0); g++)
            {
                if (JobDependencies.NameProblem(names![g]) is { } problem)
                {
                    Problem($"{field}[{g}]", problem);
                }
            }
        }

        if (key is not null && job.CmdDeps?.Any(d => d?.Key == key) == true)
        {
            Problem(nameof(JobSpec.CmdDeps), "names the job itself");
        }

        if (job.Env is { } env)
        {
            for (var e = 0; e < env.Count; e++)
            {
                var entry = env[e];
                if (entry is null || entry.Contains('\0') || entry.IndexOf('=', StringComparison.Ordinal) <= 0)
                {
                    Problem($"Env[{e}]", "must look like KEY=value without NUL bytes");
                }
            }
        }
    }

    private static void CheckName(string field, string? value, bool required, Action<string, string> problem)
    {
        if (value is null)
        {
            if (required)
            {
                problem(field, "is missing");
            }

            return;
        }

        if (required && string.IsNullOrWhiteSpace(value))
        {
            problem(field, "is empty");
        }
        else if (value.Contains('\0'))
        {
            problem(field, "contains a NUL byte");
        }
        else if (value.Length > JobQueueDefaults.MaxNameLength)
        {
            problem(field, $"is longer than {JobQueueDefaults.MaxNameLength} characters");
        }
    }
}
