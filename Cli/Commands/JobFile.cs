using System.Text.Json;

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
        var env = MergeEnvironment(CurrentEnvironment.Entries(), defaults.EnvOverrides);
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
            };
            jobs.Add(options.Length == 0 ? spec : ApplyOptions(spec, options, number, defaults.Cwd));
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

    /// <summary>The environment with <paramref name="overrides"/> (KEY=value) added or replacing.</summary>
    public static IReadOnlyList<string> MergeEnvironment(IEnumerable<string> environment, IEnumerable<string> overrides)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in environment.Concat(overrides))
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                merged[entry[..eq]] = entry;
            }
        }

        return [.. merged.Values];
    }

    private static JobSpec ApplyOptions(JobSpec spec, string json, int line, string baseCwd)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new JobFileException(line, $"the options are not valid JSON ({ex.Message})");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JobFileException(line, "the options must be a JSON object");
            }

            foreach (var option in document.RootElement.EnumerateObject())
            {
                var value = option.Value;
                spec = option.Name switch
                {
                    "rep_grp" => spec with { RepGroup = Text(value, option.Name, line) },
                    "req_grp" => spec with { ReqGroup = Text(value, option.Name, line) },
                    "memory" => spec with { RamMb = value.ValueKind == JsonValueKind.Number ? Whole(value, option.Name, line) : Parse(() => Units.ParseMemoryMb(Text(value, option.Name, line)), option.Name, line) },
                    "time" => spec with { Time = value.ValueKind == JsonValueKind.Number ? TimeSpan.FromMinutes(Whole(value, option.Name, line)) : Parse(() => Units.ParseDuration(Text(value, option.Name, line)), option.Name, line) },
                    "cpus" => spec with { Cores = Whole(value, option.Name, line) },
                    "override" => spec with { Override = Whole(value, option.Name, line) },
                    "priority" => spec with { Priority = Whole(value, option.Name, line) },
                    "retries" => spec with { Retries = Whole(value, option.Name, line) },
                    "cwd" => spec with { Cwd = Path.GetFullPath(Text(value, option.Name, line), baseCwd) },
                    "env" => spec with { Env = MergeEnvironment(spec.Env ?? [], Strings(value, option.Name, line)) },
                    _ => throw new JobFileException(line, $"unknown option \"{option.Name}\" (known: rep_grp, req_grp, memory, time, cpus, override, priority, retries, cwd, env)"),
                };
            }
        }

        return spec;
    }

    private static string Text(JsonElement value, string name, int line) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new JobFileException(line, $"{name} must be a string");

    private static int Whole(JsonElement value, string name, int line) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : throw new JobFileException(line, $"{name} must be a whole number");

    private static string[] Strings(JsonElement value, string name, int line) =>
        value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            ? [.. value.EnumerateArray().Select(e => e.GetString()!)]
            : throw new JobFileException(line, $"{name} must be an array of \"KEY=value\" strings");

    private static T Parse<T>(Func<T> parse, string name, int line)
    {
        try
        {
            return parse();
        }
        catch (FormatException ex)
        {
            throw new JobFileException(line, $"{name}: {ex.Message}");
        }
    }
}
