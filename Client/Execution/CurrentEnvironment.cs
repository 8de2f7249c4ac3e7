using System.Collections;

namespace JobQueue.Client.Execution;

/// <summary>The environment a job gets when its spec names none: that of the process that adds it.</summary>
public static class CurrentEnvironment
{
    /// <summary>The environment of the current process as "KEY=value" entries.</summary>
    public static IReadOnlyList<string> Entries()
    {
        var result = new List<string>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result.Add($"{entry.Key}={entry.Value}");
        }

        return result;
    }
}
