using System.Text.Json;

namespace JobQueue.Silo.Web;

/// <summary>Reads the REST API's request bodies: jobs to add, and the selection of a bulk action.</summary>
public static class RestJobs
{
    /// <summary>
    /// The jobs of a POST /rest/v1/jobs body: an array of job-file option objects, each with "cmd" and an absolute
    /// "cwd". Throws <see cref="RestProblem"/> naming the index and field of the first bad job.
    /// </summary>
    public static IReadOnlyList<JobSpec> ParseJobs(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Array)
        {
            throw new RestProblem("the body must be a JSON array of jobs", null, null);
        }

        var jobs = new List<JobSpec>();
        var index = 0;
        foreach (var item in body.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new RestProblem($"job {index} must be a JSON object", index, null);
            }

            var cmd = item.TryGetProperty("cmd", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";
            if (cmd.Trim().Length == 0)
            {
                throw new RestProblem($"job {index}: cmd is required (a non-empty string)", index, "cmd");
            }

            var cwd = item.TryGetProperty("cwd", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "";
            if (!Path.IsPathRooted(cwd))
            {
                throw new RestProblem($"job {index}: cwd is required (an absolute directory)", index, "cwd");
            }

            var spec = new JobSpec { Cmd = cmd.Trim(), Cwd = Path.GetFullPath(cwd), Env = [] };
            try
            {
                jobs.Add(JobOptions.Apply(spec, item, index, cwd, "cmd"));
            }
            catch (JobFileException ex)
            {
                var problem = ex.Message[(ex.Message.IndexOf(':', StringComparison.Ordinal) + 2)..];
                var field = problem.StartsWith("unknown option \"", StringComparison.Ordinal) ? problem.Split('"')[1] : problem.Split(' ', ':')[0];
                throw new RestProblem($"job {index}: {problem}", index, field);
            }

            index++;
        }

        if (JobSpecValidator.Validate(jobs) is [var first, ..])
        {
            throw new RestProblem(first.ToString(), first.Index, first.Field);
        }

        return jobs;
    }

    /// <summary>
    /// The jobs a bulk action covers, chosen as the CLI chooses them: exactly one of "repGroup", "cmd" (with an
    /// absolute "cwd"), "keys" or "all": true; narrowed by "state", "exitCode" and "failReason".
    /// </summary>
    public static JobFilter ParseSelection(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new RestProblem("the body must be a JSON object choosing the jobs", null, null);
        }

        string? Text(string name) => body.TryGetProperty(name, out var v)
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw new RestProblem($"{name} must be a string", null, name)
            : null;
        var repGroup = Text("repGroup");
        var cmd = Text("cmd");
        var keys = body.TryGetProperty("keys", out var k)
            ? k.ValueKind == JsonValueKind.Array && k.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
                ? k.EnumerateArray().Select(e => e.GetString()!).ToArray()
                : throw new RestProblem("keys must be an array of job keys", null, "keys")
            : null;
        var all = body.TryGetProperty("all", out var a) && a.ValueKind == JsonValueKind.True;
        if (new[] { repGroup is not null, cmd is not null, keys is not null, all }.Count(x => x) != 1)
        {
            throw new RestProblem("choose the jobs with exactly one of repGroup, cmd (with cwd), keys or all", null, "repGroup");
        }

        if (keys is { Length: 0 or > JobQueueDefaults.MaxPageSize })
        {
            throw new RestProblem($"keys must hold 1 to {JobQueueDefaults.MaxPageSize} job keys", null, "keys");
        }

        if (cmd is not null)
        {
            var cwd = Text("cwd");
            keys = Path.IsPathRooted(cwd) ? [JobKey.For(Path.GetFullPath(cwd), cmd)] : throw new RestProblem("with cmd, cwd is required (an absolute directory)", null, "cwd");
        }

        JobState? state = null;
        if (Text("state") is { } name)
        {
            state = JobStates.TryParse(name, out var parsed) ? parsed : throw new RestProblem($"state \"{name}\" is not a job state", null, "state");
        }

        int? exitCode = null;
        if (body.TryGetProperty("exitCode", out var e))
        {
            exitCode = e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var code) ? code : throw new RestProblem("exitCode must be a whole number", null, "exitCode");
        }

        return new JobFilter { RepGroup = repGroup, Keys = keys, State = state, ExitCode = exitCode, FailReason = Text("failReason") };
    }

    /// <summary>The "changes" object of a mod request: the job options (as an add takes them) that mod can change.</summary>
    public static JobModification ParseChanges(JsonElement body)
    {
        string[] changeable = ["priority", "memory", "time", "cpus", "override", "retries", "rep_grp", "limit_grps", "dep_grps", "deps", "cmd_deps"];
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Object)
        {
            throw new RestProblem($"changes must be an object of what to change ({string.Join(", ", changeable)})", null, "changes");
        }

        var given = changes.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        if (given.FirstOrDefault(n => !changeable.Contains(n)) is { } other)
        {
            throw new RestProblem($"changes: \"{other}\" cannot be changed (only {string.Join(", ", changeable)})", null, other);
        }

        JobSpec spec;
        try
        {
            spec = JobOptions.Apply(new JobSpec { Cmd = "mod", Cwd = "/" }, changes, 0, "/");
        }
        catch (JobFileException ex)
        {
            var problem = ex.Message[(ex.Message.IndexOf(':', StringComparison.Ordinal) + 2)..];
            throw new RestProblem($"changes: {problem}", null, problem.Split(' ', ':')[0]);
        }

        var modification = new JobModification
        {
            Priority = given.Contains("priority") ? spec.Priority : null,
            RamMb = given.Contains("memory") ? spec.RamMb : null,
            Time = given.Contains("time") ? spec.Time : null,
            Cores = given.Contains("cpus") ? spec.Cores : null,
            Override = given.Contains("override") ? spec.Override : null,
            Retries = given.Contains("retries") ? spec.Retries : null,
            RepGroup = given.Contains("rep_grp") ? spec.RepGroup : null,
            LimitGroups = given.Contains("limit_grps") ? spec.LimitGroups ?? [] : null,
            DepGroups = given.Contains("dep_grps") ? spec.DepGroups ?? [] : null,
            Deps = given.Contains("deps") ? spec.Deps ?? [] : null,
            CmdDeps = given.Contains("cmd_deps") ? spec.CmdDeps ?? [] : null,
        };
        return modification.IsEmpty ? throw new RestProblem("changes is empty: nothing to change", null, "changes") : modification;
    }
}
