using System.Net.Http.Json;
using System.Text.Json;
using Face2Data.Detection;
using Face2Data.Inference;
using Microsoft.Extensions.DependencyInjection;

namespace Face2Data.Server.Tests;

/// <summary>
/// The server's speed settings: micro-batching (<see cref="ServerOptions.InferenceBatchSize"/>) as clients see it,
/// and the detectors' settings from configuration.
/// </summary>
public sealed class SpeedSettingsTests
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
        var error = await KestrelServer.StartUpErrorAsync(new Dictionary<string, string?> { [key] = value });

        Assert.Contains(key.Split(':')[1], error.ToString());
    }

    [Fact]
    public async Task Haar_settings_come_from_the_Server_Haar_section()
    {
        await using var factory = new ServerFactory(new Dictionary<string, string?>
        {
            ["Server:Detector"] = "haar",
            ["Server:Haar:DetectionMaxSide"] = "640",
            ["Server:Haar:ScaleFactor"] = "1.2",
            ["Server:Haar:CropScanSide"] = "64",
        });
        using var client = factory.CreateClient();

        var detector = Assert.IsType<HaarFaceDetector>(factory.Services.GetRequiredKeyedService<IFaceDetector>("haar"));
        var analyzer = factory.Services.GetRequiredService<ModelHost>().Analyzer;

        Assert.Equal((640, 1.2, 64), (detector.Options.DetectionMaxSide, detector.Options.ScaleFactor, detector.Options.CropScanSide));
        Assert.Equal(HaarFaceDetectorOptions.Default.MinNeighbors, detector.Options.MinNeighbors);
        Assert.Equal(640, analyzer.Options.ReducedDecodeSide); // follows the detector's scanning size
        Assert.Null(analyzer.Options.Batching);
    }

    [Fact]
    public async Task A_Haar_setting_out_of_range_stops_start_up()
    {
        var error = await KestrelServer.StartUpErrorAsync(new Dictionary<string, string?> { ["Server:Detector"] = "haar", ["Server:Haar:ScaleFactor"] = "3" });

        Assert.Contains("ScaleFactor must be above 1 and at most 2", error.ToString());
    }

    [Fact]
    public async Task The_tiny_detector_takes_its_settings_from_Server_Tiny_and_finds_the_face_the_Haar_detector_finds()
    {
        var photo = TestImages.UtkFacePhotoJpeg();
        await using var tiny = new ServerFactory(new Dictionary<string, string?>
        {
            ["Server:Detector"] = "tiny",
            ["Server:Tiny:InputSize"] = "512",
            ["Server:Tiny:ScoreThreshold"] = "0.4",
        });
        await using var haar = new ServerFactory(new Dictionary<string, string?> { ["Server:Detector"] = "haar" });
        using var tinyClient = tiny.CreateClient();
        using var haarClient = haar.CreateClient();

        var detector = Assert.IsType<TinyFaceDetector>(tiny.Services.GetRequiredKeyedService<IFaceDetector>("tiny"));
        var analyzer = tiny.Services.GetRequiredService<ModelHost>().Analyzer;
        var tinyFace = await SingleBox(await tinyClient.PostAsync("/v1/analyze", Upload.Raw(photo)));
        var haarFace = await SingleBox(await haarClient.PostAsync("/v1/analyze", Upload.Raw(photo)));

        Assert.Equal((512, 0.4f), (detector.Options.InputSize, detector.Options.ScoreThreshold));
        Assert.Equal(Path.GetFullPath(TinyFaceDetectorOptions.BundledPath), detector.ModelPath);
        Assert.Equal(512, analyzer.Options.ReducedDecodeSide); // follows the detector's input size
        Assert.True(tinyFace.IntersectionOverUnion(haarFace) >= 0.7, $"tiny {tinyFace}, haar {haarFace}");
    }

    [Fact]
    public async Task A_tiny_setting_out_of_range_stops_start_up()
    {
        var error = await KestrelServer.StartUpErrorAsync(new Dictionary<string, string?> { ["Server:Detector"] = "tiny", ["Server:Tiny:InputSize"] = "500" });

        Assert.Contains("InputSize must be a positive multiple of 32", error.ToString());
    }

    private static async Task<FaceBox> SingleBox(HttpResponseMessage response)
    {
        using (response)
        {
            response.EnsureSuccessStatusCode();
            var face = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faces").EnumerateArray());
            var box = face.GetProperty("box");
            return new FaceBox(box.GetProperty("x").GetInt32(), box.GetProperty("y").GetInt32(), box.GetProperty("width").GetInt32(), box.GetProperty("height").GetInt32());
        }
    }
}
