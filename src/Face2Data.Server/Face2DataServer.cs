using Face2Data.Server.Endpoints;

namespace Face2Data.Server;

/// <summary>
/// Builds the Face2Data web server: the REST API, the pages, health, metrics and the OpenAPI document. Used by
/// <c>Program</c> (<c>dotnet run --project src/Face2Data.Server</c>) and by <c>face2data serve</c>.
/// </summary>
public sealed class Face2DataServer
{
    private Face2DataServer()
    {
    }

    /// <summary>
    /// Builds the server. Settings come from appsettings.json in the working folder, environment variables
    /// (<c>Server__ModelPath</c>…) and <paramref name="args"/> (<c>--urls</c>, <c>--Server:ModelPath=…</c>), then
    /// <paramref name="configure"/>.
    /// </summary>
    /// <param name="args">Command-line arguments in ASP.NET Core's configuration syntax.</param>
    /// <param name="configure">Changes to the options after configuration is read (the CLI's flags).</param>
    /// <param name="services">More services, such as face detectors (<see cref="Face2DataServiceCollectionExtensions.AddFaceDetector"/>).</param>
    public static WebApplication Build(string[] args, Action<ServerOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning); // one line per request is the metrics' job

        builder.Services.AddFace2Data(configure);
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = ProblemResponses.Customize);
        builder.Services.AddOpenApi(OpenApiDocument.Configure);
        builder.Services.AddFace2DataRateLimiter();
        builder.Services.AddHealthChecks().AddCheck<ModelHealthCheck>("model", tags: [HealthEndpoints.ReadyTag]);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseFace2DataPipeline();
        app.MapAnalyzeEndpoints();
        app.MapExplainEndpoints();
        app.MapPredictEndpoints();
        app.MapModelEndpoints();
        app.MapDatasetEndpoints();
        app.MapHealthEndpoints();
        app.MapMetricsEndpoints();
        app.MapOpenApi();
        return app;
    }
}
