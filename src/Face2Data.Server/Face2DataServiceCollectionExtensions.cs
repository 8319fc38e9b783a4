using System.Text.Json;
using System.Text.Json.Serialization;
using Face2Data.Detection;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Face2Data.Server;

/// <summary>Registers the Face2Data server's services.</summary>
public static class Face2DataServiceCollectionExtensions
{
    /// <summary>
    /// Adds the validated <see cref="ServerOptions"/> (section <c>Server</c>, then <paramref name="configure"/>), the
    /// model host, the inference queue, metrics, analysis and dataset services, request timeouts, CORS and the JSON
    /// conventions (snake_case, nulls omitted).
    /// </summary>
    public static IServiceCollection AddFace2Data(this IServiceCollection services, Action<ServerOptions>? configure = null)
    {
        var options = services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<ModelHost>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelHost>());
        services.AddSingleton(sp =>
        {
            var server = sp.GetRequiredService<IOptions<ServerOptions>>().Value;
            return new InferenceQueue(server.MaxConcurrentInferences, server.QueueLimit, server.MaxQueueWaitMs);
        });
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<AnalysisService>();
        services.AddSingleton<ExplanationService>();
        services.AddSingleton<DatasetStatistics>();
        services.AddSingleton<ApiKeyFilter>();
        services.AddSingleton<QueueAdmissionFilter>();
        services.AddFaceDetector(FaceDetectors.Haar, sp => new HaarFaceDetector(sp.GetRequiredService<IOptions<ServerOptions>>().Value.Haar));
        services.AddFaceDetector(FaceDetectors.Tiny, sp => new TinyFaceDetector(sp.GetRequiredService<IOptions<ServerOptions>>().Value.Tiny));
        services.AddFaceDetector(FaceDetectors.BlazeFace, sp => new BlazeFaceDetector(sp.GetRequiredService<IOptions<ServerOptions>>().Value.BlazeFace));
        services.AddFaceDetector(FaceDetectors.Ssd, sp => new SsdFaceDetector(sp.GetRequiredService<IOptions<ServerOptions>>().Value.Ssd));
        services.TryAddSingleton<IFaceLandmarker>(_ => new FaceLandmark68Landmarker(FaceLandmark68LandmarkerOptions.Default));

        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<ServerOptions>>(
            (timeouts, server) => timeouts.DefaultPolicy = ProblemResponses.TimeoutPolicy(server.Value.RequestTimeoutSeconds));
        services.AddOptions<HostOptions>().Configure<IOptions<ServerOptions>>(
            (host, server) => host.ShutdownTimeout = TimeSpan.FromSeconds(server.Value.RequestTimeoutSeconds + 5));
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<ServerOptions>>((cors, server) => AddCorsPolicy(cors, server.Value.CorsOrigins));

        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        return services;
    }

    /// <summary>
    /// Makes a face detector available under <paramref name="name"/> for <see cref="ServerOptions.Detector"/>. It is
    /// created once, when the model host starts with that detector chosen, and disposed with the server.
    /// </summary>
    public static IServiceCollection AddFaceDetector(this IServiceCollection services, string name, Func<IServiceProvider, IFaceDetector> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        var key = name.ToLowerInvariant();
        services.AddKeyedSingleton<IFaceDetector>(key, (sp, _) => factory(sp));
        services.AddSingleton(new DetectorRegistration(key));
        return services;
    }

    private static void AddCorsPolicy(CorsOptions cors, string[] origins)
    {
        if (origins.Length == 0)
        {
            return;
        }

        cors.AddDefaultPolicy(policy =>
        {
            if (origins.Contains("*"))
            {
                policy.AllowAnyOrigin();
            }
            else
            {
                policy.WithOrigins(origins);
            }

            policy.WithMethods("GET", "POST").WithHeaders("Content-Type", ApiKeyFilter.HeaderName).WithExposedHeaders("Retry-After");
        });
    }
}
