using Face2Data.Detection;
using Face2Data.Inference;
using Face2Data.Server.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Face2Data.Server.Endpoints;

/// <summary>
/// <c>POST /predict</c>: the original Face2Data route, for drop-in users. Multipart field <c>image</c> in, the
/// largest face's age, race and gender out (the whole image when no face is found, as the original always did).
/// </summary>
internal static class PredictEndpoints
{
    /// <summary>Maps the legacy route.</summary>
    public static IEndpointRouteBuilder MapPredictEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/predict", PredictAsync)
            .WithTags("Legacy")
            .RequireRateLimiting(RateLimiting.PolicyName)
            .AddEndpointFilter<ProblemExceptionFilter>()
            .AddEndpointFilter<ApiKeyFilter>()
            .AddEndpointFilter<QueueAdmissionFilter>()
            .WithName("Predict")
            .WithSummary("The original Face2Data route: age in years, race and gender of the image's largest face.")
            .WithDescription("Kept for clients of the original Face2Data. New clients should use POST /v1/analyze, which reports every face and every head of the model.")
            .WithImageUpload(batch: false)
            .ProducesProblemKinds();
        return app;
    }

    /// <summary>Predicts the attributes of the largest face.</summary>
    public static async Task<Results<Ok<PredictResponse>, ProblemHttpResult>> PredictAsync(
        HttpRequest request, AnalysisService analysis, [FromQuery] string? detector, CancellationToken cancellationToken)
    {
        var options = AnalysisRequest.Parse(null, null, 1, detector);
        var upload = await UploadReader.ReadOneAsync(request, analysis.Options.MaxBodyBytes, cancellationToken);
        var (result, _) = await analysis.AnalyzeAsync(upload.Bytes, options, cancellationToken);
        if (result.Faces.Count == 0)
        {
            (result, _) = await analysis.AnalyzeAsync(upload.Bytes, new AnalysisRequest(DetectionMode.Never, 1), cancellationToken);
        }

        return TypedResults.Ok(ToResponse(result.Faces[0]));
    }

    private static PredictResponse ToResponse(FaceResult face)
    {
        var attributes = face.Attributes;
        var probabilities = attributes.Values
            .Where(a => a.Probabilities is not null)
            .ToDictionary(a => a.Head, a => a.Probabilities!, StringComparer.Ordinal);
        return new PredictResponse(
            attributes.TryGetValue("age", out var age) && age.Value is { } years ? (int)MathF.Round(years) : null,
            attributes.TryGetValue("race", out var race) ? race.Label : null,
            attributes.TryGetValue("gender", out var gender) ? gender.Label : null,
            probabilities);
    }
}
