using System.Diagnostics;
using Face2Data.Server.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Face2Data.Server.Endpoints;

/// <summary><c>POST /v1/analyze</c> and <c>POST /v1/analyze/batch</c>: faces and their attributes.</summary>
internal static class AnalyzeEndpoints
{
    /// <summary>Maps the analyze routes.</summary>
    public static IEndpointRouteBuilder MapAnalyzeEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1")
            .WithTags("Analyze")
            .RequireRateLimiting(RateLimiting.PolicyName)
            .AddEndpointFilter<ProblemExceptionFilter>()
            .AddEndpointFilter<ApiKeyFilter>()
            .AddEndpointFilter<QueueAdmissionFilter>();

        group.MapPost("/analyze", AnalyzeAsync)
            .WithName("Analyze")
            .WithSummary("Finds the faces in an image and predicts each head of the model's schema for each.")
            .WithDescription("Send multipart/form-data with a file field 'image', or the image itself as an image/* body. "
                + "JPEG, PNG, GIF, BMP, WebP and TIFF are read; the format is told from the bytes.")
            .WithImageUpload(batch: false)
            .ProducesProblemKinds();

        group.MapPost("/analyze/batch", AnalyzeBatchAsync)
            .WithName("AnalyzeBatch")
            .WithSummary("Analyses several images of one multipart request; each gets its result or its own error.")
            .WithDescription("Send multipart/form-data with one file field per image (any field names). Images are analysed in order under one inference slot.")
            .WithImageUpload(batch: true)
            .ProducesProblemKinds();
        return app;
    }

    /// <summary>Analyses one uploaded image.</summary>
    public static async Task<Results<Ok<AnalysisResponse>, ProblemHttpResult>> AnalyzeAsync(
        HttpRequest request,
        AnalysisService analysis,
        [FromQuery] string? detect,
        [FromQuery(Name = "max_faces")] string? maxFaces,
        [FromQuery] string? detector,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var options = AnalysisRequest.Parse(detect, maxFaces, analysis.Options.MaxFaces, detector);
        var upload = await UploadReader.ReadOneAsync(request, analysis.Options.MaxBodyBytes, cancellationToken);
        var (result, queueMs) = await analysis.AnalyzeAsync(upload.Bytes, options, cancellationToken);
        return TypedResults.Ok(AnalysisResponse.From(result, analysis.Model, queueMs, clock.Elapsed.TotalMilliseconds));
    }

    /// <summary>Analyses every image of a multipart batch.</summary>
    public static async Task<Results<Ok<BatchResponse>, ProblemHttpResult>> AnalyzeBatchAsync(
        HttpRequest request,
        AnalysisService analysis,
        [FromQuery] string? detect,
        [FromQuery(Name = "max_faces")] string? maxFaces,
        [FromQuery] string? detector,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var options = AnalysisRequest.Parse(detect, maxFaces, analysis.Options.MaxFaces, detector);
        var images = await UploadReader.ReadManyAsync(request, analysis.Options.MaxBodyBytes, analysis.Options.MaxBatchImages, cancellationToken);
        var results = await analysis.AnalyzeBatchAsync(images, options, cancellationToken);
        var items = results.Select((r, i) => new BatchItemResponse(
            i,
            images[i].Name,
            r.Analysis is null ? null : AnalysisResponse.From(r.Analysis, analysis.Model, 0, r.Analysis.Timings.TotalMs),
            r.Error is null ? null : ToProblemDetails(r.Error, request.Path))).ToList();
        return TypedResults.Ok(new BatchResponse(items, ModelInfoResponse.From(analysis.Model), clock.Elapsed.TotalMilliseconds));
    }

    private static ProblemDetails ToProblemDetails(ProblemException error, string instance) => new()
    {
        Type = error.Kind.Type,
        Title = error.Kind.Title,
        Status = error.Kind.Status,
        Detail = error.Message,
        Instance = instance,
    };
}
