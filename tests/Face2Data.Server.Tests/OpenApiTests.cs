using System.Net.Http.Json;
using System.Text.Json;

namespace Face2Data.Server.Tests;

public sealed class OpenApiTests
{
    [Fact]
    public async Task The_document_describes_every_api_route_its_upload_bodies_and_problem_types()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        Assert.Equal("Face2Data API", document.GetProperty("info").GetProperty("title").GetString());
        foreach (var kind in ProblemKind.All)
        {
            Assert.Contains($"{kind.Slug} ({kind.Status})", document.GetProperty("info").GetProperty("description").GetString());
        }

        var paths = document.GetProperty("paths");
        Assert.Equal(["/metrics", "/predict", "/v1/analyze", "/v1/analyze/batch", "/v1/assets", "/v1/dataset", "/v1/explain", "/v1/model"], paths.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var analyze = paths.GetProperty("/v1/analyze").GetProperty("post");
        var content = analyze.GetProperty("requestBody").GetProperty("content");
        Assert.Equal("binary", content.GetProperty("multipart/form-data").GetProperty("schema").GetProperty("properties").GetProperty("image").GetProperty("format").GetString());
        Assert.Equal("binary", content.GetProperty("image/*").GetProperty("schema").GetProperty("format").GetString());
        var detect = analyze.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "detect");
        Assert.Equal(["auto", "always", "never"], detect.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["200", "400", "401", "413", "415", "422", "429", "504"], analyze.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());
        Assert.True(analyze.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/json", out _));
        var batch = paths.GetProperty("/v1/analyze/batch").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.Equal("array", batch.GetProperty("multipart/form-data").GetProperty("schema").GetProperty("properties").GetProperty("images").GetProperty("type").GetString());
        var explain = paths.GetProperty("/v1/explain").GetProperty("post");
        var parameters = explain.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.Equal(["baseline", "class", "detect", "detector", "face", "grid", "head", "method", "patch", "samples", "seed", "stride"], parameters.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("tiny, a small CNN", parameters["detector"].GetProperty("description").GetString());
        Assert.Equal(["occlusion", "shap"], parameters["method"].GetProperty("schema").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("KernelSHAP", parameters["method"].GetProperty("description").GetString());
        Assert.Equal("integer", parameters["grid"].GetProperty("schema").GetProperty("type").GetString());
        var explainForm = explain.GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema").GetProperty("properties");
        Assert.Equal("binary", explainForm.GetProperty("image").GetProperty("format").GetString());
        Assert.True(explainForm.TryGetProperty("head", out _));
        Assert.Equal(["200", "400", "401", "413", "415", "422", "429", "504"], explain.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());
        // The legacy route takes only the detector choice.
        var legacyParameters = paths.GetProperty("/predict").GetProperty("post").GetProperty("parameters").EnumerateArray();
        Assert.Equal(["detector"], legacyParameters.Select(p => p.GetProperty("name").GetString()));
    }
}
