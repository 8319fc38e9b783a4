namespace Face2Data.Server.Endpoints;

/// <summary><c>GET /metrics</c>: the server's measurements in the Prometheus text format.</summary>
internal static class MetricsEndpoints
{
    /// <summary>The Prometheus text exposition content type.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Maps the metrics route.</summary>
    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", GetMetrics)
            .WithTags("Health")
            .WithSummary("Requests by route and status, latency histograms, inference time, faces per image, queue depth (Prometheus text format).")
            .DisableRateLimiting()
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
        return app;
    }

    /// <summary>The metrics text.</summary>
    public static IResult GetMetrics(ServerMetrics metrics) => Results.Text(metrics.ToPrometheusText(), ContentType);
}
