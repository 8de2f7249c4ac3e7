using System.Diagnostics;

namespace JobQueue.Tests.Infrastructure;

/// <summary>Runs a program to its end with its output captured (no input); its whole tree is killed if it outlives the limit.</summary>
public static class ProgramRun
{
    public static async Task<CliRunner.Result> RunAsync(ProcessStartInfo start, TimeSpan within)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(within);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliRunner.Result(process.ExitCode, await stdout, await stderr);
    }
}
