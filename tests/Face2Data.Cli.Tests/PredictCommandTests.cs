using System.CommandLine;
using System.Text.Json;
using Face2Data.Cli;
using Face2Data.Cli.Commands;

namespace Face2Data.Cli.Tests;

/// <summary><c>face2data predict</c> on a real portrait: landmarks in the JSON, off on request, and both crop kinds.</summary>
public sealed class PredictCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("f2d-predict-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Json_gives_the_face_its_landmarks_and_roll_inside_its_box()
    {
        var face = (await PredictAsync()).GetProperty("faces").EnumerateArray().Single();

        var box = face.GetProperty("box");
        var landmarks = face.GetProperty("landmarks");
        foreach (var name in new[] { "left_eye", "right_eye", "nose", "mouth_left", "mouth_right" })
        {
            var point = landmarks.GetProperty(name);
            Assert.InRange(point.GetProperty("x").GetSingle(), box.GetProperty("x").GetInt32(), box.GetProperty("x").GetInt32() + box.GetProperty("width").GetInt32());
            Assert.InRange(point.GetProperty("y").GetSingle(), box.GetProperty("y").GetInt32(), box.GetProperty("y").GetInt32() + box.GetProperty("height").GetInt32());
        }

        Assert.True(landmarks.GetProperty("left_eye").GetProperty("x").GetSingle() < landmarks.GetProperty("right_eye").GetProperty("x").GetSingle());
        Assert.True(landmarks.GetProperty("left_eye").GetProperty("y").GetSingle() < landmarks.GetProperty("mouth_left").GetProperty("y").GetSingle());
        Assert.InRange(landmarks.GetProperty("roll_degrees").GetDouble(), -10, 10); // a front-on studio portrait
    }

    [Fact]
    public async Task Landmarks_false_leaves_them_out_and_aligned_crops_still_predict()
    {
        var without = (await PredictAsync("--landmarks", "false")).GetProperty("faces").EnumerateArray().Single();
        var aligned = (await PredictAsync("--crop", "aligned")).GetProperty("faces").EnumerateArray().Single();
        var boxed = (await PredictAsync("--crop", "box")).GetProperty("faces").EnumerateArray().Single();

        Assert.False(without.TryGetProperty("landmarks", out var value) && value.ValueKind != JsonValueKind.Null);
        Assert.Equal(boxed.GetProperty("box").GetRawText(), aligned.GetProperty("box").GetRawText());
        Assert.NotEqual(
            boxed.GetProperty("attributes").GetProperty("age").GetProperty("value").GetDouble(),
            aligned.GetProperty("attributes").GetProperty("age").GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task The_name_of_a_shipped_model_selects_it()
    {
        var named = (await PredictAsync("--model", "face2data-resnet")).GetProperty("faces").EnumerateArray().Single();
        var bundled = (await PredictAsync()).GetProperty("faces").EnumerateArray().Single();

        // London faces 001: a 24-year-old woman.
        Assert.Equal("female", named.GetProperty("attributes").GetProperty("gender").GetProperty("label").GetString());
        Assert.NotEqual(
            bundled.GetProperty("attributes").GetProperty("age").GetProperty("value").GetDouble(),
            named.GetProperty("attributes").GetProperty("age").GetProperty("value").GetDouble());
    }

    private async Task<JsonElement> PredictAsync(params string[] options)
    {
        var output = Path.Combine(_directory, $"{Guid.NewGuid():N}.json");
        using var error = new StringWriter();
        var code = await CommandErrors.InvokeAsync(
            new RootCommand { PredictCommand.Create() },
            ["predict", Path.Combine(TestPaths.LondonFaceImages, "001_neutral.jpg"), "--format", "json", "--threads", "1", "--out", output, .. options],
            error);
        Assert.Equal("", error.ToString());
        Assert.Equal(0, code);
        return JsonDocument.Parse(File.ReadAllLines(output).Single()).RootElement;
    }
}
