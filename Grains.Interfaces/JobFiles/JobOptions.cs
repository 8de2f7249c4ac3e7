using System.Text.Json;

namespace JobQueue;

/// <summary>
/// The options a job file line carries after a tab, and the REST API takes per job: a JSON object of
/// {"rep_grp","req_grp","memory","time","cpus","override","priority","retries","cwd","env","limit_grps","dep_grps","deps","cmd_deps"}.
/// </summary>
public static class JobOptions
{
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

    /// <summary>Applies the options in <paramref name="json"/> (of job file line <paramref name="line"/>) to <paramref name="spec"/>.</summary>
    /// <exception cref="JobFileException">The options are not valid.</exception>
    public static JobSpec Apply(JobSpec spec, string json, int line, string baseCwd)
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
            return Apply(spec, document.RootElement, line, baseCwd);
        }
    }

    /// <summary>Applies the options of the object <paramref name="options"/> to <paramref name="spec"/>; other members named in <paramref name="ignore"/> are passed over.</summary>
    /// <exception cref="JobFileException">An option is not valid (the message names it).</exception>
    public static JobSpec Apply(JobSpec spec, JsonElement options, int line, string baseCwd, params string[] ignore)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(ignore);
        if (options.ValueKind != JsonValueKind.Object)
        {
            throw new JobFileException(line, "the options must be a JSON object");
        }

        foreach (var option in options.EnumerateObject().Where(o => !ignore.Contains(o.Name)))
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
                "env" => spec with { Env = MergeEnvironment(spec.Env ?? [], Strings(value, option.Name, line, "\"KEY=value\" strings")) },
                "limit_grps" => spec with { LimitGroups = Strings(value, option.Name, line, "group names (\"name\" or \"name:limit\")") },
                "dep_grps" => spec with { DepGroups = Strings(value, option.Name, line, "dependency group names") },
                "deps" => spec with { Deps = Strings(value, option.Name, line, "dependency group names") },
                "cmd_deps" => spec with { CmdDeps = CommandRefs(value, option.Name, line, spec.Cwd) },
                _ => throw new JobFileException(line, $"unknown option \"{option.Name}\" (known: rep_grp, req_grp, memory, time, cpus, override, priority, retries, cwd, env, limit_grps, dep_grps, deps, cmd_deps)"),
            };
        }

        return spec;
    }

    private static string Text(JsonElement value, string name, int line) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new JobFileException(line, $"{name} must be a string");

    private static int Whole(JsonElement value, string name, int line) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : throw new JobFileException(line, $"{name} must be a whole number");

    private static string[] Strings(JsonElement value, string name, int line, string what) =>
        value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            ? [.. value.EnumerateArray().Select(e => e.GetString()!)]
            : throw new JobFileException(line, $"{name} must be an array of {what}");

    // [{"cmd":"...","cwd":"..."}], the directory defaulting to the job's own.
    private static JobRef[] CommandRefs(JsonElement value, string name, int line, string cwd)
    {
        var problem = $"{name} must be an array of {{\"cmd\":\"...\",\"cwd\":\"...\"}} (cwd defaults to the job's own)";
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new JobFileException(line, problem);
        }

        return
        [
            .. value.EnumerateArray().Select(item =>
                item.ValueKind == JsonValueKind.Object && item.TryGetProperty("cmd", out var cmd) && cmd.ValueKind == JsonValueKind.String
                    ? JobRef.For(cmd.GetString()!, item.TryGetProperty("cwd", out var dir) && dir.ValueKind == JsonValueKind.String ? Path.GetFullPath(dir.GetString()!, cwd) : cwd)
                    : throw new JobFileException(line, problem)),
        ];
    }

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
