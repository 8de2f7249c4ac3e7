using System.CommandLine;

namespace JobQueue.Cli;

/// <summary>What <c>jobqueue mod</c> can change; an option left out leaves that value as it is.</summary>
public sealed class ModOptions
{
    private readonly Option<int?> _priority = new("--priority", "-p") { Description = "New priority, 0-255 (higher first)" };
    private readonly Option<string?> _memory = new("--memory", "-m") { Description = "New expected peak memory, e.g. 500M or 2G" };
    private readonly Option<string?> _time = new("--time", "-t") { Description = "New expected run time, e.g. 90m or 2h" };
    private readonly Option<int?> _cpus = new("--cpus", "-c") { Description = "New number of cores" };
    private readonly Option<int?> _override = new("--override", "-o") { Description = "0: learning replaces memory and time; 1: the larger wins; 2: yours always" };
    private readonly Option<int?> _retries = new("--retries", "-r") { Description = "New number of retries (failures so far still count)" };
    private readonly Option<string?> _toRepGroup = new("--to-rep-grp") { Description = "New reporting group" };
    private readonly Option<string?> _depGroups = new("--dep-grps") { Description = "New dependency groups the jobs belong to, comma-separated, replacing the old (\"\" for none)" };
    private readonly Option<string?> _deps = new("--deps", "-d") { Description = "New dependency groups the jobs wait on, comma-separated, replacing the old (\"\" for none)" };
    private readonly Option<string?> _limitGroups = new("--limit-grps", "-l") { Description = "New limit groups, comma-separated, replacing the old (\"\" for none; \"name:N\" also sets the limit)" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { _priority, _memory, _time, _cpus, _override, _retries, _toRepGroup, _limitGroups, _depGroups, _deps })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The changes the options ask for.</summary>
    /// <exception cref="FormatException">Nothing is to change, or a value cannot be read.</exception>
    public JobModification Changes(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var changes = new JobModification
        {
            Priority = parse.GetValue(_priority),
            RamMb = parse.GetValue(_memory) is { } memory ? Units.ParseMemoryMb(memory) : null,
            Time = parse.GetValue(_time) is { } time ? Units.ParseDuration(time) : null,
            Cores = parse.GetValue(_cpus),
            Override = parse.GetValue(_override),
            Retries = parse.GetValue(_retries),
            RepGroup = parse.GetValue(_toRepGroup),
            LimitGroups = Cli.CommaList(parse.GetValue(_limitGroups)),
            DepGroups = Cli.CommaList(parse.GetValue(_depGroups)),
            Deps = Cli.CommaList(parse.GetValue(_deps)),
        };
        return changes.IsEmpty
            ? throw new FormatException("say what to change: --priority, --memory, --time, --cpus, --override, --retries, --to-rep-grp, --limit-grps, --dep-grps or --deps")
            : changes;
    }
}
