namespace JobQueue.Home;

/// <summary>
/// The exclusive lock a manager holds on <c>$JOBQUEUE_HOME/manager.lock</c> for its whole life. The kernel drops it
/// the moment the process dies, zombie or not, so a held lock is proof of a live manager where a pid is not.
/// </summary>
public static class ManagerLock
{
    /// <summary>The lock file's name inside the home directory.</summary>
    public const string FileName = "manager.lock";

    private static readonly TimeSpan AcquireRetry = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan AcquireFor = TimeSpan.FromSeconds(2);

    /// <summary>Takes the lock (private to the owner), or null if a live process holds it.</summary>
    /// <exception cref="UnauthorizedAccessException">The home directory cannot be written.</exception>
    public static FileStream? TryAcquire(string home)
    {
        // A probe by another command holds the lock for an instant: try for a little while before giving up.
        var deadline = DateTime.UtcNow + AcquireFor;
        while (true)
        {
            try
            {
                return PrivateFiles.Open(Path.Combine(home, FileName), FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(AcquireRetry);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    /// <summary>True if a live manager holds the lock of <paramref name="home"/>.</summary>
    public static bool IsHeld(string home)
    {
        var path = Path.Combine(home, FileName);
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            // A shared probe conflicts only with the manager's exclusive lock.
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            // Someone else's home: its manager is none of ours to find.
            return false;
        }
    }
}
