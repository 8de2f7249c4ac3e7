using System.CommandLine;

namespace JobQueue.Cli;

/// <summary>The options that shape added jobs, shared by "add" and "run".</summary>
public sealed class AddOptions
{
    private readonly Option<string?> _cwd = new("--cwd") { Description = "Directory the commands run in (default: the current directory)" };
    private readonly Option<string> _repGroup = new("--rep-grp", "-i") { Description = "Reporting group of the jobs", DefaultValueFactory = _ => JobQueueDefaults.RepGroup };
    private readonly Option<string?> _reqGroup = new("--req-grp", "-g") { Description = "Group of jobs with similar memory and time needs (default: the command's first word)" };
    private readonly Option<string?> _memory = new("--memory", "-m") { Description = "Expected peak memory, e.g. 500M or 2G (default: learned, else 1G)" };
    private readonly Option<string?> _time = new("--time", "-t") { Description = "Expected run time, e.g. 90m or 2h (default: learned, else 1h)" };
    private readonly Option<int> _cpus = new("--cpus", "-c") { Description = "Cores each command uses", DefaultValueFactory = _ => JobQueueDefaults.Cores };
    private readonly Option<int> _override = new("--override", "-o") { Description = "0: learning replaces --memory/--time; 1: the larger wins; 2: yours always", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _priority = new("--priority", "-p") { Description = "0-255; higher runs first", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _retries = new("--retries", "-r") { Description = "Times a failing command is retried before it is buried", DefaultValueFactory = _ => JobQueueDefaults.Retries };
    private readonly Option<string[]> _env = new("--env", "-e") { Description = "KEY=value added to the commands' environment (repeatable)", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string?> _limitGroups = new("--limit-grps", "-l") { Description = "Limit groups of the commands, comma-separated; \"name:N\" also sets that group's limit" };
    private readonly Option<string?> _depGroups = new("--dep-grps") { Description = "Dependency groups the commands belong to, comma-separated" };
    private readonly Option<string?> _deps = new("--deps", "-d") { Description = "Dependency groups whose every member must complete before the commands run, comma-separated" };
    private readonly Option<bool> _rerun = new("--rerun") { Description = "Run commands again that already completed (by default they count as existed)" };

    /// <summary>True if completed commands should run again.</summary>
    public bool Rerun(ParseResult parse) => parse is not null && parse.GetValue(_rerun);

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { _cwd, _repGroup, _reqGroup, _memory, _time, _cpus, _override, _priority, _retries, _env, _limitGroups, _depGroups, _deps, _rerun })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The defaults for each line of a job file.</summary>
    public JobDefaults Defaults(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var env = parse.GetValue(_env) ?? [];
        foreach (var entry in env)
        {
            if (entry.IndexOf('=', StringComparison.Ordinal) <= 0)
            {
                throw new FormatException($"--env \"{entry}\" must look like KEY=value");
            }
        }

        return new JobDefaults
        {
            Cwd = Path.GetFullPath(parse.GetValue(_cwd) ?? Environment.CurrentDirectory),
            RepGroup = parse.GetValue(_repGroup)!,
            ReqGroup = parse.GetValue(_reqGroup),
            RamMb = parse.GetValue(_memory) is { } memory ? Units.ParseMemoryMb(memory) : 0,
            Time = parse.GetValue(_time) is { } time ? Units.ParseDuration(time) : TimeSpan.Zero,
            Cores = parse.GetValue(_cpus),
            Override = parse.GetValue(_override),
            Priority = parse.GetValue(_priority),
            Retries = parse.GetValue(_retries),
            EnvOverrides = env,
            LimitGroups = Cli.CommaList(parse.GetValue(_limitGroups)),
            DepGroups = Cli.CommaList(parse.GetValue(_depGroups)),
            Deps = Cli.CommaList(parse.GetValue(_deps)),
        };
    }
}
