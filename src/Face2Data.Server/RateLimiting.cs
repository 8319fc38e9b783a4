using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Face2Data.Server;

/// <summary>
/// The per-client rate limit of the API routes: a fixed window of <see cref="RateLimitSettings.PermitLimit"/> requests
/// per <see cref="RateLimitSettings.WindowSeconds"/> for each client IP address, answered with a 429 problem and
/// <c>Retry-After</c> beyond it. Behind a reverse proxy every client shares the proxy's address unless forwarded
/// headers are configured.
/// </summary>
internal static class RateLimiting
{
    /// <summary>The policy the API route groups require.</summary>
    public const string PolicyName = "per-client";

    /// <summary>Adds ASP.NET Core's rate limiter with the per-client policy, configured from <see cref="ServerOptions.RateLimit"/>.</summary>
    public static IServiceCollection AddFace2DataRateLimiter(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ServerOptions>>((limiter, server) =>
        {
            var settings = server.Value.RateLimit;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(PolicyName, context => settings.Enabled
                ? RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = settings.PermitLimit,
                        Window = TimeSpan.FromSeconds(settings.WindowSeconds),
                        QueueLimit = 0,
                    })
                : RateLimitPartition.GetNoLimiter("all"));
            limiter.OnRejected = OnRejectedAsync;
        });
        return services;
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        var response = context.HttpContext.Response;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ProblemKind.RateLimited
            .ToResult($"This client has used all its requests for now; retry in {seconds} s.")
            .ExecuteAsync(context.HttpContext);
    }
}
