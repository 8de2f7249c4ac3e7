using System.CommandLine;

namespace JobQueue.Cli;

/// <summary>How retry, remove, kill and mod choose their jobs: a rep group, a command, or all, perhaps narrowed by state.</summary>
public sealed class JobSelection
{
    private readonly Option<string?> _repGroup = new("--rep-grp", "-i") { Description = "Jobs of this reporting group" };
    private readonly Option<string?> _cmd = new("--cmd") { Description = "The job running this command" };
    private readonly Option<string?> _cwd = new("--cwd") { Description = "With --cmd: the job's directory (default: the current one)" };
    private readonly Option<bool> _all = new("--all", "-a") { Description = "All incomplete jobs" };
    private readonly Option<string?> _state = new("--state", "-s") { Description = "Only jobs in this state" };
    private readonly bool _withState;

    /// <summary>Adds the selection's options to <paramref name="command"/>; --state only when <paramref name="withState"/>.</summary>
    public JobSelection(Command command, bool withState)
    {
        ArgumentNullException.ThrowIfNull(command);
        _withState = withState;
        foreach (var option in withState ? new Option[] { _repGroup, _cmd, _cwd, _all, _state } : [_repGroup, _cmd, _cwd, _all])
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The filter the options choose, or null (after saying what is wrong) when they choose none or more than one way.</summary>
    /// <exception cref="FormatException">--state names no state.</exception>
    public JobFilter? Filter(ParseResult parse, string verb)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var chosen = new[] { parse.GetValue(_repGroup) is not null, parse.GetValue(_cmd) is not null, parse.GetValue(_all) }.Count(c => c);
        if (chosen != 1)
        {
            Cli.Error($"choose the jobs to {verb} with exactly one of --rep-grp NAME, --cmd CMD [--cwd DIR] or --all");
            return null;
        }

        var filter = new JobFilter();
        if (_withState && parse.GetValue(_state) is { } stateName)
        {
            filter = filter with { State = JobStates.TryParse(stateName, out var parsed) ? parsed : throw new FormatException($"--state \"{stateName}\" is not a job state") };
        }

        if (parse.GetValue(_cmd) is { } command)
        {
            var directory = Path.GetFullPath(parse.GetValue(_cwd) ?? Environment.CurrentDirectory);
            return filter with { Keys = [JobKey.For(directory, command)] };
        }

        return parse.GetValue(_repGroup) is { } group ? filter with { RepGroup = group } : filter;
    }
}
