using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Face2Data.Detection;
using Face2Data.Inference;
using OpenCvSharp;

namespace Face2Data.Server.Tests.Endpoints;

public sealed class PredictEndpointsTests
{
    [Fact]
    public async Task Predict_answers_in_the_original_shape_with_probabilities_added()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();
        var bytes = TestImages.FaceJpeg(120, 120);
        using var analyzer = FaceAnalyzer.Load(TestModel.Path);
        var expected = Assert.Single(analyzer.Analyze(bytes).Faces).Attributes;

        using var response = await client.PostAsync("/predict", Upload.Multipart(bytes));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["age", "race", "gender", "probabilities"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal((int)MathF.Round(expected["age"].Value!.Value), body.GetProperty("age").GetInt32());
        Assert.Equal(expected["race"].Label, body.GetProperty("race").GetString());
        Assert.Equal(expected["gender"].Label, body.GetProperty("gender").GetString());
        Assert.Equal(["gender", "race"], body.GetProperty("probabilities").EnumerateObject().Select(p => p.Name));
        Assert.Equal(expected["gender"].Probabilities!["male"], body.GetProperty("probabilities").GetProperty("gender").GetProperty("male").GetSingle());
    }

    [Fact]
    public async Task Predict_uses_the_largest_detected_face()
    {
        await using var factory = ServerFactory.WithSquareDetector();
        using var client = factory.CreateClient();
        using var image = TestImages.Squares(640, 480, new Rect(20, 20, 40, 40), new Rect(200, 100, 200, 200));
        var bytes = TestImages.Png(image);
        using var analyzer = FaceAnalyzer.Load(TestModel.Path, detector: new SquareDetector());
        var largest = analyzer.Analyze(bytes).Faces[0];
        Assert.Equal(new FaceBox(200, 100, 200, 200), largest.Box);

        using var response = await client.PostAsync("/predict", Upload.Multipart(bytes, contentType: "image/png"));

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(largest.Attributes["gender"].Probabilities!["female"], body.GetProperty("probabilities").GetProperty("gender").GetProperty("female").GetSingle());
    }

    [Fact]
    public async Task Predict_analyses_the_whole_image_when_no_face_is_found_as_the_original_did()
    {
        await using var factory = ServerFactory.WithSquareDetector();
        using var client = factory.CreateClient();
        var bytes = TestImages.FaceJpeg(800, 400); // too big and wide to pass for a crop: auto finds nothing
        using var analyzer = FaceAnalyzer.Load(TestModel.Path, new FaceAnalyzerOptions { Detection = DetectionMode.Never });
        var whole = Assert.Single(analyzer.Analyze(bytes).Faces);

        using var response = await client.PostAsync("/predict", Upload.Multipart(bytes));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(whole.Attributes["race"].Probabilities!["asian"], body.GetProperty("probabilities").GetProperty("race").GetProperty("asian").GetSingle());
    }

    [Fact]
    public async Task Predict_without_an_image_field_is_a_400_missing_field_problem()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();

        using var response = await client.PostAsync("/predict", new MultipartFormDataContent { { new StringContent("a"), "var1" } });

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "missing-field");
        Assert.Equal("The multipart request has no 'image' field (fields: 'var1'); send the picture as a file field named 'image'.", problem.GetProperty("detail").GetString());
    }
}
