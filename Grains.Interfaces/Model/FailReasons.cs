namespace JobQueue;

/// <summary>The reasons a command failed, recorded in <see cref="Job.FailReason"/>; the texts are the model's.</summary>
public static class FailReasons
{
    /// <summary>The job's environment could not be read.</summary>
    public const string Env = "failed to get environment variables";

    /// <summary>The job's working directory does not exist on the runner's host.</summary>
    public const string Cwd = "working directory does not exist";

    /// <summary>The shell could not be started.</summary>
    public const string Start = "command failed to start";

    /// <summary>Exit code 126.</summary>
    public const string CommandPermission = "command permission problem";

    /// <summary>Exit code 127.</summary>
    public const string CommandNotFound = "command not found";

    /// <summary>Exit code 128.</summary>
    public const string CommandInvalidExit = "command invalid exit code";

    /// <summary>Any other non-zero exit code.</summary>
    public const string Exit = "command exited non-zero";

    /// <summary>Killed because it used more memory than it reserved.</summary>
    public const string Ram = "command used too much RAM";

    /// <summary>Killed because it ran longer than it reserved.</summary>
    public const string Time = "command used too much time";

    /// <summary>The command ended in an unexpected way.</summary>
    public const string Abnormal = "command failed to complete normally";

    /// <summary>The runner was told to stop; the job is released at no retry cost.</summary>
    public const string Signal = "runner received a signal to stop";

    /// <summary>No machine can ever satisfy the job's requirements.</summary>
    public const string Resource = "resource requirements cannot be met";

    /// <summary>A user asked for the running job to be killed.</summary>
    public const string Killed = "killed by user request";

    /// <summary>True for reasons that retrying cannot fix, so the job is buried at once.</summary>
    public static bool IsPermanent(string? reason) =>
        reason is CommandPermission or CommandNotFound or CommandInvalidExit or Cwd or Resource or Killed;
}
