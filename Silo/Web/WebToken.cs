using System.Security.Cryptography;
using System.Text;
using JobQueue.Grains.Storage;
using JobQueue.Home;

namespace JobQueue.Silo.Web;

/// <summary>The secret that opens the web interface and REST API.</summary>
public static class WebToken
{
    /// <summary>The file in the home that holds it (mode 0600), for the CLI to print the URL.</summary>
    public const string FileName = "web.token";

    /// <summary>The cookie the page keeps it in.</summary>
    public const string CookieName = "jobqueue_token";

    private const string SettingName = "web_token";

    /// <summary>
    /// The configured token, else the one in the database (made at the first start, so every manager of a cluster
    /// shares it); written to the home for the CLI.
    /// </summary>
    public static async Task<string> ResolveAsync(string? configured, IJobStore store, string home, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var token = configured ?? await store.GetOrAddSettingAsync(SettingName, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)), cancellationToken).ConfigureAwait(false);
        PrivateFiles.WriteAllText(Path.Combine(home, FileName), token + "\n");
        return token;
    }

    /// <summary>The token written to <paramref name="home"/> by a running manager, or null.</summary>
    public static string? Read(string home)
    {
        try
        {
            return File.ReadAllText(Path.Combine(home, FileName)).Trim() is { Length: > 0 } token ? token : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Compares in constant time.</summary>
    public static bool Matches(string expected, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));
}
