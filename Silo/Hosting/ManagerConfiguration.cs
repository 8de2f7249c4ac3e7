using JobQueue.Grains;
using JobQueue.Grains.Storage;
using JobQueue.Home;
using Microsoft.Extensions.Configuration;

namespace JobQueue.Silo.Hosting;

/// <summary>
/// The manager's settings from, in rising precedence: defaults the caller gives, $JOBQUEUE_HOME/appsettings.json,
/// environment variables prefixed JOBQUEUE__ (e.g. JOBQUEUE__Storage__Provider), the command line
/// (--Storage:Provider postgres), and overrides.
/// </summary>
public sealed class ManagerConfiguration
{
    private string? _problem;

    private ManagerConfiguration(IConfiguration configuration, ManagerOptions manager, JobStoreOptions storage)
    {
        Configuration = configuration;
        Manager = manager;
        Storage = storage;
    }

    /// <summary>All settings.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>How the manager runs.</summary>
    public ManagerOptions Manager { get; }

    /// <summary>How runners are submitted to Slurm (with Manager:Scheduler slurm).</summary>
    public Scheduling.SlurmOptions Slurm { get; private init; } = new();

    /// <summary>Where jobs are stored.</summary>
    public JobStoreOptions Storage { get; }

    /// <summary>Loads the settings; <paramref name="defaults"/> stand where nothing else says otherwise.</summary>
    public static ManagerConfiguration Load(string[] args, IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string?>? defaults = null)
    {
        IConfigurationBuilder Sources(IConfigurationBuilder builder) => builder
            .AddEnvironmentVariables("JOBQUEUE__")
            .AddCommandLine(args ?? [])
            .AddInMemoryCollection(overrides ?? new Dictionary<string, string?>());

        var home = Sources(new ConfigurationBuilder()).Build()[$"{ManagerOptions.SectionName}:{nameof(ManagerOptions.Home)}"] ?? JobQueueHome.Default;
        home = Path.GetFullPath(home);
        var configuration = Sources(new ConfigurationBuilder()
            .AddInMemoryCollection(defaults ?? new Dictionary<string, string?>())
            .AddJsonFile(Path.Combine(home, "appsettings.json"), optional: true, reloadOnChange: false)).Build();

        var manager = new ManagerOptions();
        configuration.GetSection(ManagerOptions.SectionName).Bind(manager);
        manager.Home = home;
        var storage = new JobStoreOptions
        {
            DbFile = Path.Combine(home, "jobqueue.db"),
            DbFileBackup = Path.Combine(home, "jobqueue.db.backup"),
        };
        configuration.GetSection(JobStoreOptions.SectionName).Bind(storage);
        var problem = ReadSecret(configuration[$"{JobStoreOptions.SectionName}:ConnectionStringFile"], storage);
        storage.Provider = storage.Provider.Trim().ToLowerInvariant();
        storage.Deployment = manager.Deployment;
        var slurm = new Scheduling.SlurmOptions();
        configuration.GetSection(Scheduling.SlurmOptions.SectionName).Bind(slurm);
        return new ManagerConfiguration(configuration, manager, storage) { _problem = problem, Slurm = slurm };
    }

    /// <summary>
    /// Takes the connection string from the file Storage:ConnectionStringFile names (its first non-empty line), so that
    /// it need not be on a command line that <c>ps</c> shows. Returns the problem, or null.
    /// </summary>
    private static string? ReadSecret(string? path, JobStoreOptions storage)
    {
        if (string.IsNullOrWhiteSpace(path) || storage.ConnectionString is not null)
        {
            return null;
        }

        try
        {
            storage.ConnectionString = File.ReadLines(path).FirstOrDefault(l => l.Trim().Length > 0)?.Trim();
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"Storage:ConnectionStringFile {path} cannot be read: {ex.Message}";
        }
    }

    /// <summary>The first problem with the settings, or null.</summary>
    public string? Validate() => _problem ?? Manager.Validate() ?? Storage.Validate() ?? ValidateQueue() ?? (Manager.Scheduler == "slurm" ? Slurm.Validate() : null);

    private string? ValidateQueue()
    {
        var queue = new JobQueueOptions();
        try
        {
            ConfigureQueue(queue);
        }
        catch (InvalidOperationException ex)
        {
            return $"a Queue setting cannot be read: {ex.Message}";
        }

        var result = new JobQueueOptionsValidator().Validate(null, queue);
        return result.Failed ? string.Join("; ", result.Failures) : null;
    }

    /// <summary>Applies the "Queue" section to the queue's options.</summary>
    public void ConfigureQueue(JobQueueOptions options) => Configuration.GetSection("Queue").Bind(options);
}
