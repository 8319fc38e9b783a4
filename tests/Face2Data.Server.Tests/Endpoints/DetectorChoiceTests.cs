using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCvSharp;

namespace Face2Data.Server.Tests.Endpoints;

/// <summary>The <c>detector</c> query option: a request picks one of the registered detectors instead of the server's.</summary>
public sealed class DetectorChoiceTests
{
    // A 300×200 grey PNG with red squares of 50 and 90 pixels, for the square detector.
    private static readonly byte[] SquaresPng = MakeSquaresPng();

    [Fact]
    public async Task A_request_uses_the_detector_it_names_and_others_keep_the_servers()
    {
        // The server detects with nothing ("none"); a request naming "squares" finds the two red squares.
        await using var factory = NoDetectorButSquares();
        using var client = factory.CreateClient();

        var chosen = await Widths(await client.PostAsync("/v1/analyze?detector=squares", Upload.Raw(SquaresPng, "image/png")));
        var upperCase = await Widths(await client.PostAsync("/v1/analyze?detector=SQUARES", Upload.Raw(SquaresPng, "image/png")));
        var serverDefault = await Widths(await client.PostAsync("/v1/analyze", Upload.Raw(SquaresPng, "image/png")));

        Assert.Equal([90, 50], chosen);
        Assert.Equal([90, 50], upperCase);
        Assert.Equal([300], serverDefault); // the whole image as one face
    }

    [Fact]
    public async Task Detector_none_analyses_the_whole_image_even_on_a_detecting_server()
    {
        await using var factory = ServerFactory.WithSquareDetector();
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/v1/analyze?detector=none", Upload.Raw(SquaresPng, "image/png"));

        response.EnsureSuccessStatusCode();
        var face = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faces").EnumerateArray());
        Assert.False(face.GetProperty("detected").GetBoolean());
        Assert.Equal(300, face.GetProperty("box").GetProperty("width").GetInt32());
    }

    [Fact]
    public async Task A_batch_uses_the_named_detector_for_every_image()
    {
        await using var factory = NoDetectorButSquares();
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/v1/analyze/batch?detector=squares", Upload.Batch(("a", SquaresPng), ("b", SquaresPng)));

        response.EnsureSuccessStatusCode();
        var results = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray().ToList();
        Assert.All(results, r => Assert.Equal(2, r.GetProperty("analysis").GetProperty("faces").GetArrayLength()));
    }

    [Fact]
    public async Task An_unknown_detector_is_a_400_naming_the_known_ones_before_the_image_is_decoded()
    {
        await using var factory = ServerFactory.WithSquareDetector();
        using var client = factory.CreateClient();

        // The body is not an image: the query is refused first.
        using var response = await client.PostAsync("/v1/analyze?detector=mtcnn", Upload.Raw(TestImages.Text(), "image/png"));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "invalid-parameter");
        Assert.Equal("'detector' must be one of none, haar, tiny, blazeface, ssd, squares.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_tiny_detector_can_be_chosen_per_request_on_a_Haar_server()
    {
        await using var factory = new ServerFactory(new Dictionary<string, string?> { ["Server:Detector"] = "haar" });
        using var client = factory.CreateClient();
        var photo = TestImages.UtkFacePhotoJpeg();

        var haar = await SingleFace(await client.PostAsync("/v1/analyze", Upload.Raw(photo)));
        var tiny = await SingleFace(await client.PostAsync("/v1/analyze?detector=tiny", Upload.Raw(photo)));

        // The cascade's score counts its merged windows (at least MinNeighbors + 1); the network's is a probability.
        Assert.True(haar.GetProperty("detection_score").GetSingle() > 3, haar.ToString());
        Assert.InRange(tiny.GetProperty("detection_score").GetSingle(), 0.3f, 1f);
    }

    [Fact]
    public async Task A_request_naming_tiny_on_a_Haar_server_gets_what_a_tiny_server_gives_decoding_included()
    {
        // 1440×960: a tiny server (input 640) decodes it at half size; the Haar server (960) would decode it whole.
        using var small = Cv2.ImDecode(TestImages.UtkFacePhotoJpeg(), ImreadModes.Color);
        using var large = new Mat();
        Cv2.Resize(small, large, new Size(1440, 960), interpolation: InterpolationFlags.Cubic);
        var photo = TestImages.Jpeg(large);
        await using var tinyServer = new ServerFactory(new Dictionary<string, string?> { ["Server:Detector"] = "tiny" });
        await using var haarServer = new ServerFactory(new Dictionary<string, string?> { ["Server:Detector"] = "haar" });
        using var tinyClient = tinyServer.CreateClient();
        using var haarClient = haarServer.CreateClient();

        var expected = await FacesJson(await tinyClient.PostAsync("/v1/analyze", Upload.Raw(photo)));
        var chosen = await FacesJson(await haarClient.PostAsync("/v1/analyze?detector=tiny", Upload.Raw(photo)));
        var haar = await FacesJson(await haarClient.PostAsync("/v1/analyze", Upload.Raw(photo)));

        Assert.Equal(expected, chosen);
        Assert.NotEqual(expected, haar);
    }

    [Fact]
    public async Task Explain_finds_its_face_with_the_named_detector_from_the_query_or_a_form_field()
    {
        await using var factory = NoDetectorButSquares();
        using var client = factory.CreateClient();
        using var fromField = Upload.Multipart(SquaresPng, fileName: "squares.png", contentType: "image/png");
        fromField.Add(new StringContent("squares"), "detector");

        var second = await ExplainedBox(await client.PostAsync("/v1/explain?detector=squares&face=2&head=gender&grid=2", Upload.Raw(SquaresPng, "image/png")));
        var first = await ExplainedBox(await client.PostAsync("/v1/explain?head=gender&grid=2", fromField));
        var serverDefault = await ExplainedBox(await client.PostAsync("/v1/explain?head=gender&grid=2", Upload.Raw(SquaresPng, "image/png")));

        // Numbered as /v1/analyze?detector=squares numbers them: the 90-pixel square first.
        Assert.Equal("""{"x":10,"y":10,"width":50,"height":50}""", second);
        Assert.Equal("""{"x":100,"y":50,"width":90,"height":90}""", first);
        Assert.Equal("""{"x":0,"y":0,"width":300,"height":200}""", serverDefault);
    }

    [Fact]
    public async Task Explain_with_detector_none_explains_the_whole_image_and_an_unknown_one_is_a_400_before_the_body_is_read()
    {
        await using var factory = ServerFactory.WithSquareDetector();
        using var client = factory.CreateClient();

        var whole = await ExplainedBox(await client.PostAsync("/v1/explain?detector=none&head=gender&grid=2", Upload.Raw(SquaresPng, "image/png")));
        using var unknown = await client.PostAsync("/v1/explain?detector=mtcnn", Upload.Raw(TestImages.Text(), "image/png"));

        Assert.Equal("""{"x":0,"y":0,"width":300,"height":200}""", whole);
        var problem = await Problem.AssertAsync(unknown, HttpStatusCode.BadRequest, "invalid-parameter");
        Assert.Equal("'detector' must be one of none, haar, tiny, blazeface, ssd, squares.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Predict_answers_for_the_largest_face_the_named_detector_finds()
    {
        await using var factory = NoDetectorButSquares();
        using var client = factory.CreateClient();

        var chosen = await PredictedProbabilities(await client.PostAsync("/predict?detector=squares", Upload.Multipart(SquaresPng, fileName: "squares.png", contentType: "image/png")));
        var serverDefault = await PredictedProbabilities(await client.PostAsync("/predict", Upload.Multipart(SquaresPng, fileName: "squares.png", contentType: "image/png")));
        using var analysis = await client.PostAsync("/v1/analyze?detector=squares&max_faces=1", Upload.Raw(SquaresPng, "image/png"));
        var largest = Assert.Single((await analysis.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faces").EnumerateArray());
        var expected = largest.GetProperty("attributes").GetProperty("race").GetProperty("probabilities").GetProperty("asian").GetSingle();
        using var unknown = await client.PostAsync("/predict?detector=mtcnn", Upload.Multipart(TestImages.Text()));

        Assert.Equal(expected, chosen.GetProperty("race").GetProperty("asian").GetSingle(), 1e-5f);
        Assert.NotEqual(expected, serverDefault.GetProperty("race").GetProperty("asian").GetSingle(), 1e-5f); // the whole image gives another answer
        await Problem.AssertAsync(unknown, HttpStatusCode.BadRequest, "invalid-parameter");
    }

    private static async Task<string> FacesJson(HttpResponseMessage response) => (await OkBody(response)).GetProperty("faces").GetRawText();

    private static async Task<string> ExplainedBox(HttpResponseMessage response) => (await OkBody(response)).GetProperty("face").GetProperty("box").GetRawText();

    private static async Task<JsonElement> PredictedProbabilities(HttpResponseMessage response) => (await OkBody(response)).GetProperty("probabilities");

    private static async Task<JsonElement> SingleFace(HttpResponseMessage response) => Assert.Single((await OkBody(response)).GetProperty("faces").EnumerateArray());

    private static async Task<JsonElement> OkBody(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
        }
    }

    private static byte[] MakeSquaresPng()
    {
        using var image = TestImages.Squares(300, 200, new Rect(10, 10, 50, 50), new Rect(100, 50, 90, 90));
        return TestImages.Png(image);
    }

    // A server that detects nothing by default, with the square detector registered for requests to choose.
    private static ServerFactory NoDetectorButSquares() =>
        new(services: services => services.AddFaceDetector(SquareDetector.Name, _ => new SquareDetector()));

    private static async Task<int[]> Widths(HttpResponseMessage response) =>
        (await OkBody(response)).GetProperty("faces").EnumerateArray().Select(f => f.GetProperty("box").GetProperty("width").GetInt32()).ToArray();
}
