using System.Diagnostics;
using System.Text.Json.Nodes;
using Face2Data.Explanation;
using Face2Data.Server.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;

namespace Face2Data.Server.Endpoints;

/// <summary><c>POST /v1/explain</c>: which regions of a face pushed the model's answer.</summary>
internal static class ExplainEndpoints
{
    /// <summary>Maps the explain route.</summary>
    public static IEndpointRouteBuilder MapExplainEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1")
            .WithTags("Explain")
            .RequireRateLimiting(RateLimiting.PolicyName)
            .AddEndpointFilter<ProblemExceptionFilter>()
            .AddEndpointFilter<ApiKeyFilter>()
            .AddEndpointFilter<QueueAdmissionFilter>();

        group.MapPost("/explain", ExplainAsync)
            .WithName("Explain")
            .WithSummary("Explains one face: how much each region of it pushed each head's output, as a grid and an overlay.")
            .WithDescription("Send the image as for /v1/analyze (multipart field 'image', or an image/* body). The options come in the query "
                + "string or as multipart text fields of the same names (a field wins). The face is found and cut as /v1/analyze does; "
                + "each head is explained at its predicted class (its value for a regression head) unless 'class' names another. "
                + "Occlusion costs about 50 model runs per head, SHAP its sample budget; the request holds one inference slot meanwhile.")
            .WithImageUpload(batch: false)
            .WithExplainOptions()
            .ProducesProblemKinds();
        return app;
    }

    /// <summary>Explains one face of an uploaded image.</summary>
    public static async Task<Results<Ok<ExplanationResponse>, ProblemHttpResult>> ExplainAsync(
        HttpRequest request,
        ExplanationService explanations,
        [AsParameters] ExplainQuery query,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        // Options in the query are checked before the body is read; form fields, once it is.
        var options = explanations.Parse(query);
        var (upload, fields) = await UploadReader.ReadOneWithFieldsAsync(request, explanations.Options.MaxBodyBytes, cancellationToken);
        if (fields.Keys.Any(ExplainQuery.Names.Contains))
        {
            options = explanations.Parse(query.With(fields));
        }

        var (explanation, width, height, queueMs, explainMs) = await explanations.ExplainAsync(upload.Bytes, options, cancellationToken);
        return TypedResults.Ok(ExplanationResponse.From(explanation, width, height, queueMs, explainMs, clock.Elapsed.TotalMilliseconds));
    }

    // Enumerations and form fields the handler's signature cannot state.
    private static RouteHandlerBuilder WithExplainOptions(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
            {
                var values = parameter.Name switch
                {
                    "method" => ExplanationOptions.MethodNames,
                    "baseline" => ExplanationOptions.BaselineNames,
                    _ => null,
                };
                if (values is not null)
                {
                    parameter.Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))],
                        Default = JsonValue.Create(values[0]),
                    };
                }
                else if (parameter.Name is "grid" or "samples" or "seed" or "patch" or "stride" or "face")
                {
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer };
                }
            }

            if (operation.RequestBody?.Content?.TryGetValue("multipart/form-data", out var multipart) == true
                && multipart.Schema is OpenApiSchema { Properties: { } properties })
            {
                foreach (var name in ExplainQuery.Names)
                {
                    properties[name] = new OpenApiSchema { Type = JsonSchemaType.String, Description = $"Same as the '{name}' query option." };
                }
            }

            return Task.CompletedTask;
        });
}
