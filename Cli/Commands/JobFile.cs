namespace JobQueue.Cli;

/// <summary>
/// Reads job files: one command per line, optionally followed by a tab and a JSON object of options for that line
/// ({"rep_grp","req_grp","memory","time","cpus","override","priority","retries","cwd","env"}). Blank lines are skipped.
/// </summary>
public static class JobFile
{
    /// <summary>Parses every line and validates every job; throws for the first bad line.</summary>
    public static IReadOnlyList<JobSpec> Parse(TextReader reader, JobDefaults defaults)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(defaults);
        var env = JobOptions.MergeEnvironment(CurrentEnvironment.Entries(), defaults.EnvOverrides);
        var jobs = new List<JobSpec>();
        var lines = new List<int>();
        var number = 0;
        while (reader.ReadLine() is { } raw)
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var cmd = (tab < 0 ? line : line[..tab]).Trim();
            var options = tab < 0 ? "" : line[(tab + 1)..].Trim();
            if (cmd.Length == 0)
            {
                throw new JobFileException(number, "the command is empty");
            }

            var spec = new JobSpec
            {
                Cmd = cmd,
                Cwd = defaults.Cwd,
                RepGroup = defaults.RepGroup,
                ReqGroup = defaults.ReqGroup,
                RamMb = defaults.RamMb,
                Time = defaults.Time,
                Cores = defaults.Cores,
                Override = defaults.Override,
                Priority = defaults.Priority,
                Retries = defaults.Retries,
                Env = env,
                LimitGroups = defaults.LimitGroups,
                DepGroups = defaults.DepGroups,
                Deps = defaults.Deps,
            };
            jobs.Add(options.Length == 0 ? spec : JobOptions.Apply(spec, options, number, defaults.Cwd));
            lines.Add(number);
        }

        var problems = JobSpecValidator.Validate(jobs);
        if (problems.Count > 0)
        {
            var first = problems[0];
            throw new JobFileException(lines[first.Index], $"{first.Field} {first.Problem}");
        }

        return jobs;
    }
}
