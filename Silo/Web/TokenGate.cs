using System.Net;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Silo.Web;

/// <summary>
/// Lets a request in only with the token: "Authorization: Bearer TOKEN" (REST), the page's HttpOnly cookie, or
/// "?token=" once (which sets the cookie and redirects to the same address without it). Everything else gets 401
/// and nothing more. The Prometheus endpoint is open only while the web interface binds to loopback.
/// </summary>
public sealed class TokenGate(bool loopback)
{
    private volatile string? _token;

    /// <summary>The token, set once the store is up (requests before that get 503).</summary>
    public string? Token
    {
        get => _token;
        set => _token = value;
    }

    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var request = context.Request;
        if (loopback && request.Path.Equals("/metrics", StringComparison.Ordinal))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (_token is not { } token)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("the manager is starting\n").ConfigureAwait(false);
            return;
        }

        if (request.Query.TryGetValue("token", out var query) && WebToken.Matches(token, query.ToString()))
        {
            context.Response.Cookies.Append(WebToken.CookieName, token, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = "/",
                Secure = request.IsHttps,
            });
            var rest = request.Query.Where(q => q.Key != "token").Select(q => $"{WebUtility.UrlEncode(q.Key)}={WebUtility.UrlEncode(q.Value.ToString())}");
            var remaining = string.Join('&', rest);
            context.Response.Redirect($"{request.PathBase}{request.Path}{(remaining.Length > 0 ? "?" + remaining : "")}");
            return;
        }

        var header = request.Headers.Authorization.ToString();
        var bearer = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        if (WebToken.Matches(token, bearer) || WebToken.Matches(token, request.Cookies[WebToken.CookieName]))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await context.Response.WriteAsync("unauthorized: open the URL with ?token=… that `jobqueue manager status` prints, or send Authorization: Bearer TOKEN\n").ConfigureAwait(false);
    }
}
