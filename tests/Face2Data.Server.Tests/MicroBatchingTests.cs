using System.Net.Http.Json;
using System.Text.Json;
using Face2Data.Core.Inference;

namespace Face2Data.Server.Tests;

/// <summary>The server's micro-batching (<see cref="ServerOptions.InferenceBatchSize"/>) as clients see it.</summary>
public sealed class MicroBatchingTests
{
    [Theory]
    [InlineData("16", "50")]
    [InlineData("1", "0")] // batching off
    public async Task Concurrent_requests_get_the_numbers_of_their_own_image(string batchSize, string waitMs)
    {
        await using var factory = new ServerFactory(new Dictionary<string, string?>
        {
            ["Server:InferenceBatchSize"] = batchSize,
            ["Server:InferenceBatchWaitMs"] = waitMs,
            ["Server:MaxConcurrentInferences"] = "8",
        });
        using var client = factory.CreateClient();
        var images = Enumerable.Range(0, 8).Select(i => TestImages.FaceJpeg(60 + (i * 20), 60 + (i * 20))).ToArray();
        using var analyzer = FaceAnalyzer.Load(TestModel.Path);

        var responses = await Task.WhenAll(images.Select(image => client.PostAsync("/v1/analyze", Upload.Raw(image))));

        for (var i = 0; i < images.Length; i++)
        {
            using var response = responses[i];
            response.EnsureSuccessStatusCode();
            var expected = Assert.Single(analyzer.Analyze(images[i]).Faces).Attributes;
            var face = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faces")[0].GetProperty("attributes");
            Assert.Equal(expected["age"].Value!.Value, face.GetProperty("age").GetProperty("value").GetSingle(), 1e-4f);
            Assert.Equal(expected["gender"].Probabilities!["female"], face.GetProperty("gender").GetProperty("probabilities").GetProperty("female").GetSingle(), 1e-5f);
            Assert.Equal(expected["race"].Probabilities!["asian"], face.GetProperty("race").GetProperty("probabilities").GetProperty("asian").GetSingle(), 1e-5f);
        }
    }

    [Theory]
    [InlineData("Server:InferenceBatchSize", "0")]
    [InlineData("Server:InferenceBatchWaitMs", "-1")]
    [InlineData("Server:ReducedDecodeSide", "-5")]
    public async Task Out_of_range_batching_and_decoding_settings_stop_start_up(string key, string value)
    {
        await using var factory = new ServerFactory(new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains(key.Split(':')[1], error.ToString());
    }
}
