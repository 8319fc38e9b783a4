using System.ComponentModel.DataAnnotations;

namespace Face2Data.Server;

/// <summary>
/// A fixed window of requests per client IP address on the API routes (<c>Server:RateLimit</c>). Off by default: the
/// bounded inference queue already protects the server, and its main user, one backend service calling from one
/// address, must not be throttled. Turn it on when many independent clients share the server (a public page, a
/// free tier) and one of them must not take every slot; behind a reverse proxy, only with forwarded headers.
/// </summary>
public sealed class RateLimitSettings
{
    /// <summary>Whether requests are limited at all (default false).</summary>
    public bool Enabled { get; set; }

    /// <summary>Requests each client may make per window.</summary>
    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 120;

    /// <summary>Length of the window in seconds.</summary>
    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 60;
}
