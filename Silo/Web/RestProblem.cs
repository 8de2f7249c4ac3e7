namespace JobQueue.Silo.Web;

/// <summary>A bad REST request: answered 400 with the message, and the job index and field it concerns.</summary>
public sealed class RestProblem(string message, int? index, string? field) : Exception(message)
{
    /// <summary>The index of the bad job in the request's array, if it concerns one.</summary>
    public int? Index { get; } = index;

    /// <summary>The field at fault, if one is.</summary>
    public string? Field { get; } = field;
}
