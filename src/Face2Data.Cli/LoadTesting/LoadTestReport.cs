using System.Text.Json;
using System.Text.Json.Serialization;

namespace Face2Data.Cli.LoadTesting;

/// <summary>A load test's results as written by <c>face2data bench serve --format json</c>.</summary>
/// <param name="Target">The URL requests were posted to.</param>
/// <param name="ImageBytes">Size of the request body.</param>
/// <param name="DurationSeconds">Longest each level was allowed to run.</param>
/// <param name="MaxRequests">Most requests per level, when bounded.</param>
/// <param name="Levels">One result per concurrency level.</param>
internal sealed record LoadTestReport(string Target, int ImageBytes, double DurationSeconds, int? MaxRequests, IReadOnlyList<LoadLevelResult> Levels)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The report as indented snake_case JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    public static LoadTestReport FromJson(string json) =>
        JsonSerializer.Deserialize<LoadTestReport>(json, JsonOptions) ?? throw new JsonException("The report is empty.");
}
