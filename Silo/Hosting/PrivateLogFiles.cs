using System.Text;
using JobQueue.Home;
using Serilog.Sinks.File;

namespace JobQueue.Silo.Hosting;

/// <summary>Makes each log file the manager opens readable by its owner only.</summary>
internal sealed class PrivateLogFiles : FileLifecycleHooks
{
    /// <inheritdoc />
    public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding)
    {
        PrivateFiles.RestrictFiles(path);
        return underlyingStream;
    }
}
