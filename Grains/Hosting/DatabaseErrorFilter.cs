using System.Data.Common;

namespace JobQueue.Grains.Hosting;

/// <summary>
/// Turns a database failure escaping any grain call (a read while the database is away, say) into the model's DbError
/// with the database's message: clients get a clear answer instead of an exception type they cannot even deserialize.
/// </summary>
public sealed class DatabaseErrorFilter : IIncomingGrainCallFilter
{
    /// <inheritdoc />
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await context.Invoke().ConfigureAwait(false);
        }
        catch (Exception ex) when (Database(ex) is { } db)
        {
            throw new JobQueueException(JobQueueErrorKind.DbError, context.MethodName, detail: db.Message);
        }
    }

    private static Exception? Database(Exception? ex)
    {
        for (var current = ex; current is not null; current = current.InnerException)
        {
            if (current is DbException or Storage.JobStoreException)
            {
                return current;
            }
        }

        return null;
    }
}
