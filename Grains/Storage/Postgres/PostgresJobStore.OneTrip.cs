using Npgsql;

namespace JobQueue.Grains.Storage.Postgres;

/// <summary>
/// A batch of job changes in one round trip: the fence, the changes and their effects go as one Npgsql batch, which
/// PostgreSQL runs as one implicit transaction (no BEGIN or COMMIT of their own). Each change states that it changed
/// exactly one row; a version conflict therefore rolls the whole batch back, and it is replayed the slow way, which
/// tells that one grain. Conflicts happen only around a split activation, so the slow way is rare; so is a lease that
/// does not fit its limit group, since a queue stops reserving from a group it found full.
/// </summary>
public sealed partial class PostgresJobStore
{
    private const string ConflictState = "JQ409";
    private const string DependentsState = "JQ428";

    // From this many updates of one shape, one statement over arrays is cheaper than a prepared statement each.
    private const int ManyUpdatesFrom = 8;

    private const string DeleteSql = "DELETE FROM jq_jobs WHERE key = $1 AND version = $2 AND seq = $3";

    private static readonly string ExpectArchiveSql = BuildArchiveSql(expectOne: true);
    private static readonly string ExpectDeleteSql = ExpectOne(DeleteSql);

    /// <summary>Commits a batch of job changes only, in one round trip; null if one of them conflicted (nothing was committed).</summary>
    private async Task<WriteOutcome[]?> TryWriteInOneTripAsync(IReadOnlyList<JobChange> changes, CancellationToken cancellationToken)
    {
        var effects = new BatchEffects();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        if (MoveSlotsStatement(changes) is { } slots)
        {
            batch.BatchCommands.Add(slots);
        }

        foreach (var statement in ChangeStatements(changes))
        {
            batch.BatchCommands.Add(statement);
        }

        foreach (var change in changes)
        {
            effects.Changed(change);
        }

        var finishing = changes.Where(c => c.Kind is JobChangeKind.Archive or JobChangeKind.Delete).Select(c => c.Before.Key).ToArray();
        batch.BatchCommands.Add(EffectsStatement(Shard, effects, Fence(), finishing));
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState is ConflictState or LimitFullState or DependentsState)
        {
            return null;
        }

        return [.. changes.Select(_ => (WriteOutcome)Committed.Instance)];
    }

    /// <summary>
    /// The statements of a batch's changes, each failing unless it changed what it expected. Many updates that set the
    /// same columns go as one statement over arrays (a bulk retry or mod is thousands of updates of one shape, and a
    /// statement each cost PostgreSQL more than the rows did); that needs every job to appear once in the batch, since
    /// one statement does not see its own changes. A batch with a job twice keeps a statement per change, in order. A
    /// few updates go a statement each: PostgreSQL plans the array statement anew on every run (its plan depends on the
    /// arrays' lengths), which costs more than a few prepared single-row updates.
    /// </summary>
    private static IEnumerable<NpgsqlBatchCommand> ChangeStatements(IReadOnlyList<JobChange> changes)
    {
        if (changes.Count < 2 || changes.DistinctBy(c => c.Before.Key).Count() < changes.Count)
        {
            return changes.Select(c => ChangeStatement(c, expectOne: true));
        }

        var single = changes.Where(c => c.Kind != JobChangeKind.Update).Select(c => ChangeStatement(c, expectOne: true));
        var updates = changes.Where(c => c.Kind == JobChangeKind.Update)
            .Select(c => (Change: c, Values: JobRows.ChangedColumns(c)))
            .GroupBy(u => string.Join(',', u.Values.Select(v => v.Column)), StringComparer.Ordinal)
            .SelectMany(g => g.Count() < ManyUpdatesFrom ? g.Select(u => ChangeStatement(u.Change, expectOne: true)) : [UpdatesStatement([.. g])]);
        return single.Concat(updates);
    }

    /// <summary>One statement for updates that set the same columns: each column's values as an array, fenced like one update.</summary>
    private static NpgsqlBatchCommand UpdatesStatement(IReadOnlyList<(JobChange Change, List<(string Column, object? Value)> Values)> updates)
    {
        var columns = updates[0].Values.Select(v => v.Column).ToArray();
        var parameters = columns.Select((column, i) => ColumnArray(column, updates.Select(u => u.Values[i].Value))).ToList<object?>();
        parameters.Add(updates.Select(u => u.Change.Before.Key).ToArray());
        parameters.Add(updates.Select(u => u.Change.Before.Version).ToArray());
        parameters.Add(updates.Select(u => u.Change.Before.Seq).ToArray());
        parameters.Add((long)updates.Count);
        return Statement(UpdatesSqlFor(columns), [.. parameters]);
    }

    /// <summary>The statement of one change; with <paramref name="expectOne"/>, one that fails unless it changed exactly one row.</summary>
    private static NpgsqlBatchCommand ChangeStatement(JobChange change, bool expectOne)
    {
        var key = change.Before.Key;
        var expected = change.Before.Version;
        switch (change.Kind)
        {
            case JobChangeKind.Update:
                var values = JobRows.ChangedColumns(change);
                return Statement(UpdateSqlFor([.. values.Select(v => v.Column)], expectOne), [.. values.Select(v => v.Value), key, expected, change.Before.Seq]);
            case JobChangeKind.Archive:
                var run = change.After ?? throw new ArgumentException("an archive needs the final row", nameof(change));
                return Statement(
                    expectOne ? ExpectArchiveSql : ArchiveSql,
                    [.. JobRows.InsertColumns.Select(c => JobRows.Value(run, c)), key, expected, run.Seq, (run.EndedAt ?? run.AddedAt).ToUnixTimeMilliseconds()]);
            case JobChangeKind.Delete:
                return Statement(expectOne ? ExpectDeleteSql : DeleteSql, key, expected, change.Before.Seq);
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change.Kind, "unknown change kind");
        }
    }

    /// <summary>Wraps a data-changing statement so that it fails unless it changed exactly one row.</summary>
    private static string ExpectOne(string sql) => $"WITH changed AS ({sql} RETURNING 1) SELECT jq_expect_one(count(*)) FROM changed";
}
