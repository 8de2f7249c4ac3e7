using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Cli;

/// <summary>Bad input found from outside gets an exact error; nothing is added and nothing needs a manager to say so.</summary>
public sealed class InputEdgeTests : IDisposable
{
    private static readonly byte[] Latin1Line = [.. "echo caf"u8, 0xE9, .. "\n"u8];
    private readonly TempDirectory _home = new("input");
    private readonly CliRunner _cli;

    public InputEdgeTests() => _cli = new CliRunner(_home.Path);

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task A_job_file_that_is_not_utf8_is_refused_naming_the_line()
    {
        var file = Path.Combine(_home.Path, "latin1.jobs");
        await File.WriteAllBytesAsync(file, [.. "echo fine\n\n"u8, .. Latin1Line], TestContext.Current.CancellationToken);

        var result = await _cli.RunAsync("add", "-f", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("line 3: it is not valid UTF-8", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_on_stdin_that_are_not_utf8_are_refused_naming_the_line()
    {
        using var add = _cli.StartWithBytes([.. Latin1Line], "add", "-");

        var stderr = await add.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await add.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, add.ExitCode);
        Assert.Contains("line 1: it is not valid UTF-8", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_given_as_the_job_file_is_called_a_directory()
    {
        var result = await _cli.RunAsync("add", "-f", _home.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{_home.Path} is a directory", result.Stderr, StringComparison.Ordinal);
    }
}
