using JobQueue.Grains.Manager;
using JobQueue.Grains.Storage;
using JobQueue.Grains.Storage.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JobQueue.Grains.Hosting;

/// <summary>
/// The queue's part of the silo lifecycle: opens the store before anything else starts and flushes it last;
/// once the silo is active, follows the manager's mode (drain, shutdown) and keeps the due-jobs sweeper alive.
/// </summary>
public sealed partial class JobQueueSiloService(
    IJobStore store,
    StoreWriter writer,
    JobStoreOptions storeOptions,
    IGrainFactory grains,
    ModeView mode,
    ClusterMode clusterMode,
    TimeProvider time,
    IServiceProvider services,
    ILogger<JobQueueSiloService> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan MonitorInterval = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _monitor;
    private Task? _backups;
    private long _writesAtLastBackup = -1;

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(JobQueueSiloService), ServiceLifecycleStage.First, OpenStoreAsync, CloseStoreAsync);
        lifecycle.Subscribe(nameof(JobQueueSiloService), ServiceLifecycleStage.Active, StartMonitorAsync, StopMonitorAsync);
    }

    /// <summary>Backs the SQLite database up now, if backups are configured; returns the backup's path.</summary>
    public async Task<string?> BackupNowAsync(CancellationToken cancellationToken)
    {
        if (store is not SqliteJobStore sqlite || string.IsNullOrWhiteSpace(storeOptions.DbFileBackup))
        {
            return null;
        }

        // Off the caller's thread (an Orleans scheduler thread for "manager backup"): SQLite copies synchronously.
        await Task.Run(() => sqlite.BackupAsync(storeOptions.DbFileBackup, cancellationToken), cancellationToken).ConfigureAwait(false);
        LogBackedUp(logger, storeOptions.DbFileBackup);
        return storeOptions.DbFileBackup;
    }

    private async Task OpenStoreAsync(CancellationToken cancellationToken)
    {
        var deepCheckLater = false;
        if (storeOptions.Provider == JobStoreProviders.Sqlite)
        {
            if (SqliteDatabaseFile.Prepare(storeOptions) is { } note)
            {
                LogDatabasePrepared(logger, note);
            }

            // Of the file that opens: after a restore, the backup's size decides.
            deepCheckLater = SqliteDatabaseFile.DeepCheckDeferred(storeOptions);
        }

        if (deepCheckLater)
        {
            // Reading gigabytes before serving would make every restart as slow as the file is big. It needs no waiting
            // for at stop: it only reads, on a connection of its own.
            _ = Task.Run(DeepCheck, CancellationToken.None);
        }

        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await clusterMode.LoadAsync(cancellationToken).ConfigureAwait(false);
        writer.Start();
        LogStoreOpened(logger, store.ProviderName);
    }

    private async Task CloseStoreAsync(CancellationToken cancellationToken)
    {
        await writer.DisposeAsync().ConfigureAwait(false);
        if (_writesAtLastBackup != writer.WritesCommitted)
        {
            await TryBackupAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await store.DisposeAsync().ConfigureAwait(false);
    }

    private async Task StartMonitorAsync(CancellationToken cancellationToken)
    {
        await clusterMode.StartedAsync(cancellationToken).ConfigureAwait(false);
        await grains.GetGrain<IDueJobsGrain>(0).Ping().ConfigureAwait(false);
        _monitor = Task.Run(() => MonitorAsync(_stopping.Token), CancellationToken.None);
        if (store is SqliteJobStore && !string.IsNullOrWhiteSpace(storeOptions.DbFileBackup) && storeOptions.BackupInterval > TimeSpan.Zero)
        {
            _backups = Task.Run(() => BackupLoopAsync(_stopping.Token), CancellationToken.None);
        }
    }

    private async Task StopMonitorAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var task in new[] { _monitor, _backups })
        {
            if (task is not null)
            {
                await task.ConfigureAwait(false);
            }
        }
    }

    private async Task MonitorAsync(CancellationToken cancellationToken)
    {
        var shutdownSeen = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await clusterMode.RefreshAsync(cancellationToken).ConfigureAwait(false);
                await grains.GetGrain<IDueJobsGrain>(0).Ping().ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogMonitorFailed(logger, ex);
            }

            if (mode.ShutdownRequested && !shutdownSeen)
            {
                shutdownSeen = true;
                LogShutdownRequested(logger);
                (services.GetService(typeof(IHostApplicationLifetime)) as IHostApplicationLifetime)?.StopApplication();
            }

            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnChanged() => changed.TrySetResult();
            mode.Changed += OnChanged;
            try
            {
                await Task.WhenAny(changed.Task, Task.Delay(MonitorInterval, time, cancellationToken)).ConfigureAwait(false);
            }
            finally
            {
                mode.Changed -= OnChanged;
            }
        }
    }

    private async Task BackupLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(storeOptions.BackupInterval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (writer.WritesCommitted != _writesAtLastBackup)
            {
                await TryBackupAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The full check of a big SQLite database, on a connection of its own while the manager serves.</summary>
    private void DeepCheck()
    {
        var dbFile = storeOptions.DbFile!;
        try
        {
            if (SqliteDatabaseFile.IntegrityProblem(dbFile) is { } problem)
            {
                SqliteDatabaseFile.RecordProblem(dbFile, problem);
                LogCorruptInUse(logger, dbFile, problem, storeOptions.DbFileBackup ?? "(none)");
            }
            else
            {
                LogDeepCheckPassed(logger, dbFile);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogDeepCheckFailed(logger, ex, dbFile);
        }
    }

    private async Task TryBackupAsync(CancellationToken cancellationToken)
    {
        if (storeOptions.Provider == JobStoreProviders.Sqlite && SqliteDatabaseFile.ProblemRecorded(storeOptions.DbFile!))
        {
            // Copying a damaged database over the last good backup would leave nothing to restore.
            LogBackupSkipped(logger, storeOptions.DbFile!);
            return;
        }

        try
        {
            var writes = writer.WritesCommitted;
            if (await BackupNowAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                _writesAtLastBackup = writes;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogBackupFailed(logger, ex);
        }
    }
}
