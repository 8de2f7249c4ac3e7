namespace JobQueue.Client;

/// <summary>The exit codes of the command-line tools.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>Bad input; the message on stderr names the problem.</summary>
    public const int BadInput = 1;

    /// <summary>No manager could be reached; the message says how to start one.</summary>
    public const int NoManager = 2;

    /// <summary>Jobs failed (for run).</summary>
    public const int JobsFailed = 3;
}
