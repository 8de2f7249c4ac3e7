namespace JobQueue.Grains.Storage;

/// <summary>The order counter rows are written in (rep group, state, exit code, fail reason, all ordinal).</summary>
internal sealed class CountKeyOrder : IComparer<CountKey>
{
    /// <summary>The one instance.</summary>
    public static readonly CountKeyOrder Instance = new();

    /// <inheritdoc />
    public int Compare(CountKey x, CountKey y)
    {
        var c = string.CompareOrdinal(x.RepGroup, y.RepGroup);
        if (c == 0)
        {
            c = x.State.CompareTo(y.State);
        }

        if (c == 0)
        {
            c = x.ExitCode.CompareTo(y.ExitCode);
        }

        return c != 0 ? c : string.CompareOrdinal(x.FailReason, y.FailReason);
    }
}
