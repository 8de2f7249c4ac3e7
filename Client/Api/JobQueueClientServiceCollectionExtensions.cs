using JobQueue.Home;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;

namespace JobQueue.Client;

/// <summary>Hosting helpers for using the client inside another application.</summary>
public static class JobQueueClientServiceCollectionExtensions
{
    /// <summary>
    /// Prepares an Orleans client for the job queue: cancelled calls wait for the grain to acknowledge (so a cancelled
    /// reserve never leaves a job reserved), and a <see cref="JobQueueClient"/> is registered over it.
    /// </summary>
    public static IClientBuilder AddJobQueueClient(this IClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configure<ClientMessagingOptions>(o => o.WaitForCancellationAcknowledgement = true);
        builder.Services.AddJobQueueClient();
        return builder;
    }

    /// <summary>
    /// Connects the Orleans client with mutual TLS, presenting <paramref name="credentials"/> (for example
    /// <c>ClusterCredentials.Load(home)</c> of the manager's home, or an imported authority's); managers accept nothing else.
    /// </summary>
    public static IClientBuilder UseJobQueueTls(this IClientBuilder builder, ClusterCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(credentials);
        ClientTls.Use(builder, credentials, _ => { });
        return builder;
    }

    /// <summary>Registers a <see cref="JobQueueClient"/> over the application's Orleans <see cref="IClusterClient"/>.</summary>
    public static IServiceCollection AddJobQueueClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp => new JobQueueClient(sp.GetRequiredService<IClusterClient>(), sp.GetService<TimeProvider>()));
        return services;
    }
}
