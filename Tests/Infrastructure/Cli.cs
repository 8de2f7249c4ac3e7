using System.Diagnostics;
using System.Text.Json;

namespace JobQueue.Tests.Infrastructure;

/// <summary>Runs the built jobqueue command line as a child process on one home directory.</summary>
public sealed class CliRunner(string home)
{
    public string Home { get; } = home;

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public IReadOnlyList<string> Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        /// <summary>Parses stdout as one JSON object per line.</summary>
        public IReadOnlyList<JsonElement> Json => [.. Lines.Select(l => JsonDocument.Parse(l).RootElement.Clone())];

        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    /// <summary>Starts the command without waiting for it.</summary>
    public Process StartWithBytes(byte[] stdin, params string[] args)
    {
        var process = Launch(args);
        process.StandardInput.BaseStream.Write(stdin);
        process.StandardInput.Close();
        return process;
    }

    public Process Start(string? stdin, params string[] args)
    {
        var process = Launch(args);
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }

        process.StandardInput.Close();
        return process;
    }

    private Process Launch(string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Home,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "jobqueue.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["JOBQUEUE_HOME"] = Home;
        return Process.Start(start)!;
    }

    /// <summary>Runs the command to its end.</summary>
    public async Task<Result> RunAsync(params string[] args) => await RunWithInputAsync(null, args);

    public async Task<Result> RunWithInputAsync(string? stdin, params string[] args)
    {
        using var process = Start(stdin, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
