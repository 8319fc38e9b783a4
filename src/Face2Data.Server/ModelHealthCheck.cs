using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Face2Data.Server;

/// <summary>Healthy while the model is loaded and the server is not shutting down.</summary>
internal sealed class ModelHealthCheck(ModelHost model) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(model.IsReady
            ? HealthCheckResult.Healthy("The model is loaded.")
            : HealthCheckResult.Unhealthy("The model is not loaded, or the server is shutting down."));
}
