using System.CommandLine;

namespace JobQueue.Cli;

/// <summary>jobqueue why: why a job (or a rep group's jobs) is not running, one line per reason that holds.</summary>
public static class WhyCommand
{
    /// <summary>The "why" command.</summary>
    public static Command Create()
    {
        var keys = new Argument<string[]>("key") { Description = "Job keys (as \"status --json\" shows them)", Arity = ArgumentArity.ZeroOrMore };
        var repGroup = new Option<string?>("--rep-grp", "-i") { Description = "Explain the incomplete jobs of this rep group, counting the jobs each reason holds for" };
        var command = new Command("why", "Say why jobs are not running: dependencies, limits, delays, pause or drain, runners, the queue ahead, the scheduler");
        command.Arguments.Add(keys);
        command.Options.Add(repGroup);
        Cli.SetAction(command, async (parse, cancellationToken) =>
        {
            var wanted = parse.GetValue(keys) ?? [];
            var group = parse.GetValue(repGroup);
            if (wanted.Length == 0 == (group is null))
            {
                return Cli.Error("give job keys or --rep-grp NAME (one of the two)");
            }

            return await Cli.WithManagerAsync(
                client => group is null ? ExplainJobsAsync(client, wanted, cancellationToken) : ExplainGroupAsync(client, group, cancellationToken),
                cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> ExplainJobsAsync(JobQueueClient client, string[] keys, CancellationToken cancellationToken)
    {
        var unknown = 0;
        foreach (var key in keys)
        {
            if (await client.GetByKeyAsync(key, cancellationToken: cancellationToken).ConfigureAwait(false) is not { } job)
            {
                Console.Error.WriteLine($"jobqueue: no job has key {key}");
                unknown++;
                continue;
            }

            Console.Out.WriteLine($"{job.Key} ({job.State.ToName()}): {job.Cmd}");
            foreach (var reason in await client.WhyAsync(job, cancellationToken).ConfigureAwait(false))
            {
                Console.Out.WriteLine($"  {reason}");
            }
        }

        return unknown == 0 ? ExitCodes.Ok : ExitCodes.BadInput;
    }

    private static async Task<int> ExplainGroupAsync(JobQueueClient client, string repGroup, CancellationToken cancellationToken)
    {
        var context = await client.GetWhyContextAsync(cancellationToken).ConfigureAwait(false);
        var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
        var jobs = 0;
        foreach (var state in new[] { JobState.Dependent, JobState.Ready, JobState.Delayed, JobState.Buried, JobState.Reserved, JobState.Running })
        {
            await foreach (var page in client.ListAllAsync(new JobFilter { RepGroup = repGroup, State = state }, false, false, cancellationToken).Chunk(JobQueueDefaults.MaxPageSize).ConfigureAwait(false))
            {
                var waits = state == JobState.Dependent ? await client.GetDependencyWaitsAsync([.. page.Select(j => j.Key)], cancellationToken).ConfigureAwait(false) : null;
                foreach (var job in page)
                {
                    jobs++;
                    foreach (var reason in JobReasons.Explain(job, context, wait: waits?.GetValueOrDefault(job.Key)))
                    {
                        // Times and pids differ per job: the kind of reason is what is counted.
                        var kind = state is JobState.Delayed or JobState.Running or JobState.Reserved ? KindOf(job.State) : reason;
                        reasons[kind] = reasons.GetValueOrDefault(kind) + 1;
                    }
                }
            }
        }

        Console.Out.WriteLine($"{jobs} incomplete jobs in rep group {repGroup}");
        foreach (var (reason, count) in reasons.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal))
        {
            Console.Out.WriteLine($"  {count,8}  {reason}");
        }

        return ExitCodes.Ok;
    }

    private static string KindOf(JobState state) => state switch
    {
        JobState.Delayed => "delayed after failing, to be retried (\"jobqueue why KEY\" says until when)",
        JobState.Running => "running",
        _ => "reserved by a runner, about to start",
    };
}
