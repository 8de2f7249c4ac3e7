using System.Data.Common;

namespace JobQueue.Tests.Storage;

/// <summary>A database error that says it may pass (as a restarting server or a lost connection does).</summary>
public sealed class TransientDbException() : DbException("the database is restarting (test fault)")
{
    public override bool IsTransient => true;
}
