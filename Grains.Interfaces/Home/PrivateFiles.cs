namespace JobQueue.Home;

/// <summary>
/// Files and directories that only their owner may read: the home holds every job's command and environment
/// (the database, its backup, the manager file and the logs), so nothing in it is readable by other users.
/// </summary>
public static class PrivateFiles
{
    /// <summary>rw------- (0600).</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>rwx------ (0700).</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> (and its parents) if missing, and makes it private to its owner.</summary>
    public static void EnsureDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, DirectoryMode);
        Restrict(path, DirectoryMode);
    }

    /// <summary>Opens (creating if missing) a file that only its owner may read.</summary>
    public static FileStream Open(string path, FileShare share) =>
        new(path, Options(System.IO.FileMode.OpenOrCreate, FileAccess.ReadWrite, share));

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically; the file is private to its owner.</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically; the file is private to its owner.</summary>
    public static void WriteAllBytes(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, Options(System.IO.FileMode.Create, FileAccess.Write, FileShare.None)))
        {
            stream.Write(bytes);
        }

        Restrict(temporary, FileMode);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Makes existing files private to their owner (those that are missing are skipped).</summary>
    public static void RestrictFiles(params string[] paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                Restrict(path, FileMode);
            }
        }
    }

    private static FileStreamOptions Options(System.IO.FileMode mode, FileAccess access, FileShare share)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return options;
    }

    private static void Restrict(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            if (File.GetUnixFileMode(path) != mode)
            {
                File.SetUnixFileMode(path, mode);
            }
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours to change (a shared directory the user pointed us at); its owner decides.
        }
    }
}
