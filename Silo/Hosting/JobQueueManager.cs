using System.Net;
using JobQueue.Grains.Hosting;
using JobQueue.Grains.Manager;
using JobQueue.Grains.Storage;
using JobQueue.Home;
using JobQueue.Silo.Scheduling;
using JobQueue.Silo.Web;
using Orleans.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace JobQueue.Silo.Hosting;

/// <summary>Starts a manager: one Orleans silo with the job queue, on SQLite (embedded) or PostgreSQL (cluster).</summary>
public static class JobQueueManager
{
    /// <summary>Runs a manager until it is told to stop; the entry point of jobqueue-manager.</summary>
    /// <returns>0 after a clean stop, 1 if it could not start.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, CancellationToken cancellationToken = default)
    {
        output ??= Console.Error;
        try
        {
            await using var manager = await StartAsync(ManagerConfiguration.Load(args), cancellationToken: cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"jobqueue manager {manager.Info.Deployment} listening on {manager.Info.Address} (home {manager.Home})").ConfigureAwait(false);
            await manager.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (ManagerStartException ex)
        {
            await output.WriteLineAsync($"jobqueue manager: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>Starts a manager and returns once it answers.</summary>
    /// <param name="configuration">Its settings.</param>
    /// <param name="configureServices">Adds to its services (the CLI adds the local scheduler's hooks, tests their probes).</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <exception cref="ManagerStartException">The settings are unusable or the manager could not start.</exception>
    public static async Task<RunningManager> StartAsync(ManagerConfiguration configuration, Action<IHostApplicationBuilder>? configureServices = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.Validate() is { } problem)
        {
            throw new ManagerStartException(problem);
        }

        var options = configuration.Manager;
        var home = options.Home;
        try
        {
            PrivateFiles.EnsureDirectory(home);
            PrivateFiles.EnsureDirectory(Path.Combine(home, "logs"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ManagerStartException($"cannot create the home directory {home}: {ex.Message}", ex);
        }

        var lockFile = AcquireLock(home);
        try
        {
            await StorePreflight.CheckAsync(configuration.Storage, cancellationToken).ConfigureAwait(false);
            if (options.Scheduler == "slurm")
            {
                await SlurmPreflightAsync(cancellationToken).ConfigureAwait(false);
            }

            // Ports picked once are kept: runners of a manager that crashed reconnect to the restarted one.
            var remembered = ManagerPorts.Read(home);
            var gatewayPort = options.Port == 0 ? ManagerPorts.Reuse(remembered?.Port) : options.Port;
            var siloPort = options.SiloPort == 0 ? ManagerPorts.Reuse(remembered?.SiloPort, gatewayPort) : options.SiloPort;
            var webPort = options.WebPort switch { 0 => ManagerPorts.Reuse(remembered?.WebPort, gatewayPort, siloPort), -1 => 0, var port => port };
            new ManagerPorts(gatewayPort, siloPort, webPort).Write(home);
            var identity = new ManagerIdentity
            {
                Host = options.AdvertisedHost,
                GatewayPort = gatewayPort,
                WebPort = webPort,
                Deployment = options.Deployment,
                Scheduler = options.Scheduler,
                StartedAt = DateTimeOffset.UtcNow,
            };

            var tls = options.Tls ? new ManagerTls(LoadCredentials(home)) : null;

            // With a web port the manager's host is a web application; the silo and the web side share its services.
            var web = webPort > 0 ? WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = home }) : null;
            IHostApplicationBuilder builder = web ?? (IHostApplicationBuilder)Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = home });
            builder.Configuration.AddConfiguration(configuration.Configuration);
            ManagerLogging.Configure(builder, options);
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
            builder.Services.AddSingleton(identity);
            builder.Services.AddSingleton(configuration);
            builder.UseOrleans(silo =>
            {
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = options.ClusterId;
                    o.ServiceId = options.ServiceId;
                });
                if (configuration.Storage.Provider == JobStoreProviders.Postgres)
                {
                    silo.UseAdoNetClustering(o =>
                    {
                        o.Invariant = "Npgsql";
                        o.ConnectionString = configuration.Storage.ConnectionString;
                    });
                    silo.ConfigureEndpoints(ParseAddress(options.AdvertisedHost), siloPort, gatewayPort, listenOnAnyHostAddress: false);

                    // How fast a dead or frozen manager is noticed (Orleans' ClusterMembershipOptions, e.g. Membership:ProbeTimeout).
                    // Work on a dead manager's grains waits for that verdict: probes every 2 s, 3 missed (Orleans: 5 s), so
                    // it comes within about 10 s instead of up to half a minute.
                    silo.Services.Configure<ClusterMembershipOptions>(o => o.ProbeTimeout = TimeSpan.FromSeconds(2));
                    silo.Services.Configure<ClusterMembershipOptions>(configuration.Configuration.GetSection("Membership"));
                }
                else
                {
                    silo.UseLocalhostClustering(siloPort, gatewayPort, null, options.ServiceId, options.ClusterId);
                }

                tls?.Use(silo);
                silo.AddJobQueue(configuration.Storage, configuration.ConfigureQueue);
                if (web is not null && options.Dashboard)
                {
                    silo.AddDashboard();
                }

                // Orleans sizes its grain-location cache for a million entries up front (two tables of 9 MB each, even
                // when idle). Job grains are found through it only across managers, and a miss costs one directory
                // lookup, so a tenth of that is plenty; GrainDirectory:CacheSize sets it.
                silo.Services.Configure<GrainDirectoryOptions>(o => o.CacheSize = 100_000);
                silo.Services.Configure<GrainDirectoryOptions>(configuration.Configuration.GetSection("GrainDirectory"));
            });
            if (web is not null)
            {
                ManagerWeb.AddServices(web, options, webPort);
            }

            // Registered after the silo so that it stops first: runners release their jobs while the silo still runs.
            builder.Services.AddSingleton<LocalScheduler>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<LocalScheduler>());
            if (options.Scheduler == "slurm")
            {
                builder.Services.AddSingleton<SlurmCommands>();
                builder.Services.AddSingleton<SlurmScheduler>();
                builder.Services.AddHostedService(sp => sp.GetRequiredService<SlurmScheduler>());
            }
            configureServices?.Invoke(builder);

            IHost host = web is not null ? ManagerWeb.Build(web, options) : ((HostApplicationBuilder)builder).Build();
            tls?.SetLogger(host.Services.GetRequiredService<ILoggerFactory>());
            try
            {
                await host.StartAsync(cancellationToken).ConfigureAwait(false);
                if (web is not null)
                {
                    host.Services.GetRequiredService<TokenGate>().Token = await WebToken.ResolveAsync(
                        options.WebToken, host.Services.GetRequiredService<IJobStore>(), home, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (FindCause(ex) is { } cause)
            {
                host.Dispose();
                throw new ManagerStartException(cause, ex);
            }

            var info = new ManagerInfo
            {
                Pid = Environment.ProcessId,
                Host = options.AdvertisedHost,
                Port = gatewayPort,
                SiloPort = siloPort,
                WebPort = webPort,
                WebUrl = web is null ? null : $"http://{(options.WebHost is "*" or "0.0.0.0" ? options.AdvertisedHost : options.WebHost)}:{webPort}/",
                ClusterId = options.ClusterId,
                ServiceId = options.ServiceId,
                Deployment = options.Deployment,
                Scheduler = options.Scheduler,
                Storage = configuration.Storage.Provider,
                Tls = options.Tls,
                StartedAt = identity.StartedAt,
            };
            info.Write(home);
            return new RunningManager(host, info, home, lockFile);
        }
        catch
        {
            await lockFile.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static ClusterCredentials LoadCredentials(string home)
    {
        try
        {
            return ClusterCredentials.EnsureCreated(home);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new ManagerStartException($"cannot prepare the cluster certificates in {ClusterCredentials.DirectoryOf(home)}: {ex.Message}", ex);
        }
    }

    private static async Task SlurmPreflightAsync(CancellationToken cancellationToken)
    {
        try
        {
            await new SlurmCommands().CheckAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            throw new ManagerStartException($"the Slurm scheduler cannot be used: {ex.Message}", ex);
        }
    }

    private static FileStream AcquireLock(string home)
    {
        try
        {
            return ManagerLock.TryAcquire(home) ?? throw new ManagerStartException(ManagerInfo.ReadFile(home) is { } running
                ? $"a manager is already running for {home} (pid {running.Pid}, {running.Address})"
                : $"another manager is starting or running for {home}");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ManagerStartException($"cannot write to the home directory {home}: {ex.Message}", ex);
        }
    }

    private static IPAddress ParseAddress(string host) =>
        IPAddress.TryParse(host, out var address) ? address : Dns.GetHostAddresses(host).First();

    private static string? FindCause(Exception? ex)
    {
        for (var current = ex; current is not null; current = current.InnerException)
        {
            if (current is JobStoreException or ManagerStartException)
            {
                return current.Message;
            }

            if (current is Microsoft.Extensions.Options.OptionsValidationException invalid)
            {
                return string.Join("; ", invalid.Failures);
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Select(FindCause).FirstOrDefault(c => c is not null) is { } inner)
            {
                return inner;
            }
        }

        return ex is null ? null : $"start-up failed: {ex.GetBaseException().Message}";
    }
}
