using System.ComponentModel.DataAnnotations;

namespace Face2Data.Server;

/// <summary>A fixed window of requests per client IP address on the API routes (<c>Server:RateLimit</c>).</summary>
public sealed class RateLimitSettings
{
    /// <summary>Whether requests are limited at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests each client may make per window.</summary>
    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 120;

    /// <summary>Length of the window in seconds.</summary>
    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 60;
}
