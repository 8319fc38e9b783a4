using Face2Data.Server.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Face2Data.Server.Endpoints;

/// <summary>
/// What the pages chart: <c>GET /v1/dataset</c> (label distributions of <c>Server:DatasetPath</c>) and
/// <c>GET /v1/assets</c> (the chart images of <c>Server:AssetsDirectory</c>, served under <c>/assets/</c>).
/// </summary>
internal static class DatasetEndpoints
{
    /// <summary>Where the files of <see cref="ServerOptions.AssetsDirectory"/> are served.</summary>
    public const string AssetsPath = "/assets";

    /// <summary>File types listed and served from the assets folder, with their content types.</summary>
    public static IReadOnlyDictionary<string, string> AssetTypes { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".svg"] = "image/svg+xml",
        [".webp"] = "image/webp",
    };

    /// <summary>Maps the dataset and assets routes.</summary>
    public static IEndpointRouteBuilder MapDatasetEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1")
            .WithTags("Dataset")
            .RequireRateLimiting(RateLimiting.PolicyName)
            .AddEndpointFilter<ApiKeyFilter>();
        group.MapGet("/dataset", GetDataset)
            .WithName("GetDataset")
            .WithSummary("Label distributions of the training dataset, when the server is given one (Server:DatasetPath).")
            .ProducesProblem(404);
        group.MapGet("/assets", GetAssets)
            .WithName("GetAssets")
            .WithSummary("Chart images (training curves, dataset distributions) from Server:AssetsDirectory; empty when none is set.");
        app.MapGet(AssetsPath + "/{name}", GetAsset)
            .WithTags("Dataset")
            .RequireRateLimiting(RateLimiting.PolicyName)
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>The dataset's label distributions.</summary>
    public static Results<Ok<DatasetResponse>, ProblemHttpResult> GetDataset(DatasetStatistics statistics, ILogger<DatasetStatistics> logger)
    {
        try
        {
            return statistics.Get() is { } dataset
                ? TypedResults.Ok(dataset)
                : ProblemKind.NotFound.ToResult(statistics.HasDescriber
                    ? "The server has no dataset to describe; start it with Server:DatasetPath set to a UTKFace folder or archive, or an attribute CSV."
                    : "This server cannot read datasets; start it with 'face2data serve --dataset PATH' to show one.");
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            logger.LogError(ex, "The dataset of Server:DatasetPath could not be read");
            return ProblemKind.NotFound.ToResult("The server's dataset could not be read; the server log says why.");
        }
    }

    /// <summary>The chart images.</summary>
    public static Ok<AssetsResponse> GetAssets(IOptions<ServerOptions> options)
    {
        var folder = options.Value.AssetsDirectory;
        var files = string.IsNullOrWhiteSpace(folder) || !Directory.Exists(folder)
            ? []
            : Directory.EnumerateFiles(folder)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(IsAsset)
                .Order(StringComparer.Ordinal)
                .Select(name => new AssetResponse(name, $"{AssetsPath}/{Uri.EscapeDataString(name)}"))
                .ToList();
        return TypedResults.Ok(new AssetsResponse(files));
    }

    /// <summary>One chart image, by file name: only a listed file of the assets folder itself, never a path.</summary>
    public static Results<PhysicalFileHttpResult, ProblemHttpResult> GetAsset(string name, IOptions<ServerOptions> options)
    {
        var folder = options.Value.AssetsDirectory;
        var path = string.IsNullOrWhiteSpace(folder) || name != Path.GetFileName(name) || !IsAsset(name) ? null : Path.Combine(Path.GetFullPath(folder), name);
        return path is not null && File.Exists(path)
            ? TypedResults.PhysicalFile(path, AssetTypes[Path.GetExtension(name)])
            : ProblemKind.NotFound.ToResult("No such chart; GET /v1/assets lists them.");
    }

    private static bool IsAsset(string name) => !name.StartsWith('.') && AssetTypes.ContainsKey(Path.GetExtension(name));
}
