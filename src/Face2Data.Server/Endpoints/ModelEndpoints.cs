using Face2Data.Server.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Face2Data.Server.Endpoints;

/// <summary><c>GET /v1/model</c>: the served model's card.</summary>
internal static class ModelEndpoints
{
    /// <summary>Maps the model route.</summary>
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/model", GetModel)
            .WithTags("Model")
            .RequireRateLimiting(RateLimiting.PolicyName)
            .AddEndpointFilter<ApiKeyFilter>()
            .WithName("GetModel")
            .WithSummary("The served model's card: schema, metrics, input size, training data, license and limitations.")
            .ProducesProblem(401)
            .ProducesProblem(429);
        return app;
    }

    /// <summary>The model card.</summary>
    public static Ok<ModelCardResponse> GetModel(ModelHost model, IOptions<ServerOptions> options) =>
        TypedResults.Ok(ModelCardResponse.From(model.Analyzer.Model, options.Value.Detector));
}
