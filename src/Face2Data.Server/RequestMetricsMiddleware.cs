using System.Diagnostics;

namespace Face2Data.Server;

/// <summary>
/// Counts every request by route, method and status and times it. The route is the endpoint's pattern, so labels
/// stay few however many URLs clients try; requests no endpoint handled count as <c>static</c> (a page file served) or
/// <c>unmatched</c> (404, 405…).
/// </summary>
internal sealed class RequestMetricsMiddleware(RequestDelegate next, ServerMetrics metrics)
{
    private const string Unmatched = "unmatched";

    /// <summary>Runs the rest of the pipeline and records the request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            var route = context.GetEndpoint() switch
            {
                RouteEndpoint endpoint => endpoint.RoutePattern.RawText ?? Unmatched,
                null when status < 400 => "static",
                _ => Unmatched,
            };
            metrics.RecordRequest(route, context.Request.Method, status, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    }
}
