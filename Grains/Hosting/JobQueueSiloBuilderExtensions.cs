using JobQueue.Grains.Jobs;
using JobQueue.Grains.Learning;
using JobQueue.Grains.Manager;
using JobQueue.Grains.Storage;
using JobQueue.Grains.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace JobQueue.Grains.Hosting;

/// <summary>Adds the job queue to a silo.</summary>
public static class JobQueueSiloBuilderExtensions
{
    /// <summary>Adds the queue's grains, its store, group commit, and the Orleans storage and reminders it uses.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="store">Where jobs are stored; validated here.</param>
    /// <param name="configure">Adjusts the queue's behaviour.</param>
    public static ISiloBuilder AddJobQueue(this ISiloBuilder builder, JobStoreOptions store, Action<JobQueueOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        if (store.Validate() is { } problem)
        {
            throw new JobStoreException(problem);
        }

        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(JobStoreOptions)))
        {
            return builder;
        }

        services.AddSingleton(store);

        // A cancelled grain call completes only once its callee acknowledged, so a reserve given up by its caller
        // cannot still hand out a job afterwards.
        builder.Configure<SiloMessagingOptions>(o => o.WaitForCancellationAcknowledgement = true);
        builder.AddIncomingGrainCallFilter<DatabaseErrorFilter>();
        services.AddOptions<JobQueueOptions>().Configure(o => configure?.Invoke(o)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JobQueueOptions>, JobQueueOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ManagerIdentity>();
        services.AddSingleton<IJobStore>(sp => store.Provider == JobStoreProviders.Postgres
            ? FencedPostgresStore(sp, store)
            : new SqliteJobStore(store.DbFile!, store.Synchronous));
        services.AddMetrics();
        services.TryAddSingleton<Metrics.JobQueueMetrics>();
        services.AddSingleton<StoreWriter>();
        services.AddSingleton<ResourceAdvisor>();
        services.AddSingleton<EnvironmentCache>();
        services.AddSingleton<OfferedRows>();
        services.AddSingleton<ModeView>();
        services.AddSingleton<ClusterMode>();
        services.TryAddSingleton<RunnerTracker>();
        services.TryAddSingleton<RunnerDemand>();
        services.AddSingleton<JobQueueSiloService>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<JobQueueSiloService>());

        var (invariant, connectionString) = store.Provider == JobStoreProviders.Postgres
            ? ("Npgsql", store.ConnectionString!)
            : ("System.Data.SQLite", SqliteJobStore.ConnectionStringFor(Path.GetFullPath(store.DbFile!)));
        builder.AddAdoNetGrainStorage(JobQueueStorage.GrainStorageName, (OptionsBuilder<AdoNetGrainStorageOptions> options) => options.Configure<IServiceProvider>((o, sp) =>
        {
            o.Invariant = invariant;
            o.ConnectionString = connectionString;
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>());
        }));

        if (store.Provider == JobStoreProviders.Postgres)
        {
            builder.UseAdoNetReminderService(o =>
            {
                o.Invariant = invariant;
                o.ConnectionString = connectionString;
            });
        }
        else
        {
            builder.AddReminders();
            services.AddSingleton<IReminderTable, SqliteReminderTable>();
        }

        return builder;
    }

    private static Storage.Postgres.PostgresJobStore FencedPostgresStore(IServiceProvider services, JobStoreOptions options)
    {
        var store = new Storage.Postgres.PostgresJobStore(options.ConnectionString!, options.Deployment);
        var silo = services.GetRequiredService<ILocalSiloDetails>();
        var cluster = services.GetRequiredService<IOptions<ClusterOptions>>().Value.ClusterId;
        store.FenceBy(() => (cluster, silo.SiloAddress.Endpoint.Address.ToString(), silo.SiloAddress.Endpoint.Port, silo.SiloAddress.Generation));
        store.ShardBy(silo.SiloAddress.Endpoint.ToString());
        return store;
    }
}
