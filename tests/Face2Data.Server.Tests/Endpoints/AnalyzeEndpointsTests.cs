using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Face2Data.Detection;
using Face2Data.Inference;
using OpenCvSharp;

namespace Face2Data.Server.Tests.Endpoints;

public sealed class AnalyzeEndpointsTests
{
    [Fact]
    public async Task Analyze_multipart_returns_every_schema_head_with_box_model_and_timings()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();
        var bytes = TestImages.FaceJpeg(160, 120);

        using var response = await client.PostAsync("/v1/analyze", Upload.Multipart(bytes));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonElement>());
        var face = Assert.Single(body.GetProperty("faces").EnumerateArray());
        Assert.Equal("""{"x":0,"y":0,"width":160,"height":120}""", face.GetProperty("box").GetRawText());
        Assert.False(face.GetProperty("detected").GetBoolean());
        var attributes = face.GetProperty("attributes");
        Assert.Equal(["age", "gender", "race"], attributes.EnumerateObject().Select(p => p.Name));

        var age = attributes.GetProperty("age");
        Assert.Equal("regression", age.GetProperty("kind").GetString());
        Assert.Equal("years", age.GetProperty("unit").GetString());
        var value = age.GetProperty("value").GetSingle();
        Assert.InRange(value, 0, 116);
        Assert.Equal(Math.Max(0, value - TestModel.AgeMae), age.GetProperty("range").GetProperty("low").GetSingle(), 3);
        Assert.Equal(Math.Min(116, value + TestModel.AgeMae), age.GetProperty("range").GetProperty("high").GetSingle(), 3);

        foreach (var (head, classes) in new[] { ("gender", new[] { "male", "female" }), ("race", new[] { "white", "black", "asian", "indian", "others" }) })
        {
            var attribute = attributes.GetProperty(head);
            Assert.Equal("categorical", attribute.GetProperty("kind").GetString());
            var probabilities = attribute.GetProperty("probabilities").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetSingle());
            Assert.Equal(classes, probabilities.Keys);
            Assert.Equal(1f, probabilities.Values.Sum(), 4);
            var best = probabilities.MaxBy(p => p.Value);
            Assert.Equal(best.Key, attribute.GetProperty("label").GetString());
            Assert.Equal(best.Value, attribute.GetProperty("confidence").GetSingle());
        }

        Assert.Equal("""{"name":"test-f2d-tiny","version":"0.0.1-test"}""", body.GetProperty("model").GetRawText());
        Assert.Equal("""{"width":160,"height":120}""", body.GetProperty("image").GetRawText());
        var timings = body.GetProperty("timings_ms");
        var steps = new[] { "decode", "detect", "infer", "queue" }.Select(s => timings.GetProperty(s).GetDouble()).ToList();
        Assert.All(steps, s => Assert.True(s >= 0));
        Assert.True(timings.GetProperty("total").GetDouble() >= steps.Sum() - 0.01);
    }

    [Fact]
    public async Task Analyze_gives_the_numbers_the_library_gives_for_the_same_bytes_whether_multipart_or_raw()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();
        var bytes = TestImages.FaceJpeg(96, 96);
        using var analyzer = FaceAnalyzer.Load(TestModel.Path);
        var expected = Assert.Single(analyzer.Analyze(bytes).Faces);

        using var multipart = await client.PostAsync("/v1/analyze", Upload.Multipart(bytes));
        using var raw = await client.PostAsync("/v1/analyze", Upload.Raw(bytes, "image/png")); // the bytes decide the format, not the header

        foreach (var response in new[] { multipart, raw })
        {
            var face = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faces")[0].GetProperty("attributes");
            Assert.Equal(expected.Attributes["age"].Value!.Value, face.GetProperty("age").GetProperty("value").GetSingle());
            Assert.Equal(expected.Attributes["gender"].Probabilities!["female"], face.GetProperty("gender").GetProperty("probabilities").GetProperty("female").GetSingle());
            Assert.Equal(expected.Attributes["race"].Label, face.GetProperty("race").GetProperty("label").GetString());
        }
    }

    [Fact]
    public async Task Analyze_with_a_detector_reports_each_face_largest_first_with_its_box()
    {
        await using var factory = ServerFactory.WithSquareDetector();
        using var client = factory.CreateClient();
        using var image = TestImages.Squares(640, 400, new Rect(40, 50, 60, 60), new Rect(300, 100, 150, 150), new Rect(520, 300, 40, 40));

        using var response = await client.PostAsync("/v1/analyze", Upload.Multipart(TestImages.Png(image), fileName: "x.png", contentType: "image/png"));

        var faces = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faces").EnumerateArray().ToList();
        Assert.Equal(
            ["""{"x":300,"y":100,"width":150,"height":150}""", """{"x":40,"y":50,"width":60,"height":60}""", """{"x":520,"y":300,"width":40,"height":40}"""],
            faces.Select(f => f.GetProperty("box").GetRawText()));
        Assert.All(faces, f => Assert.True(f.GetProperty("detected").GetBoolean()));
        Assert.All(faces, f => Assert.Equal(0.99f, f.GetProperty("detection_score").GetSingle()));
    }

    [Fact]
    public async Task Analyze_max_faces_keeps_only_the_largest_faces()
    {
        await using var factory = ServerFactory.WithSquareDetector();
        using var client = factory.CreateClient();
        using var image = TestImages.Squares(640, 400, new Rect(40, 50, 60, 60), new Rect(300, 100, 150, 150), new Rect(520, 300, 40, 40));

        using var response = await client.PostAsync("/v1/analyze?max_faces=2", Upload.Multipart(TestImages.Png(image)));

        var faces = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faces").EnumerateArray().ToList();
        Assert.Equal([150, 60], faces.Select(f => f.GetProperty("box").GetProperty("width").GetInt32()));
    }

    [Theory]
    [InlineData("never", 200, 200, 1, false)] // the whole image, though the detector would find a square
    [InlineData("always", 200, 200, 1, true)]
    [InlineData("auto", 200, 200, 1, true)]
    public async Task Analyze_detect_option_chooses_between_detection_and_the_whole_image(string detect, int width, int height, int faces, bool detected)
    {
        await using var factory = ServerFactory.WithSquareDetector();
        using var client = factory.CreateClient();
        using var image = TestImages.Squares(width, height, new Rect(50, 50, 80, 80));

        using var response = await client.PostAsync($"/v1/analyze?detect={detect}", Upload.Multipart(TestImages.Png(image)));

        var found = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faces").EnumerateArray().ToList();
        Assert.Equal(faces, found.Count);
        Assert.Equal(detected, found[0].GetProperty("detected").GetBoolean());
        Assert.Equal(detected ? 80 : width, found[0].GetProperty("box").GetProperty("width").GetInt32());
    }

    [Fact]
    public async Task Analyze_without_faces_found_reports_none_with_always_and_the_whole_crop_with_auto()
    {
        await using var factory = ServerFactory.WithSquareDetector();
        using var client = factory.CreateClient();
        var crop = TestImages.FaceJpeg(200, 200); // no red square: no face for the detector

        using var always = await client.PostAsync("/v1/analyze?detect=always", Upload.Multipart(crop));
        using var auto = await client.PostAsync("/v1/analyze?detect=auto", Upload.Multipart(crop));

        Assert.Empty((await always.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faces").EnumerateArray());
        var face = Assert.Single((await auto.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faces").EnumerateArray());
        Assert.False(face.GetProperty("detected").GetBoolean());
    }

    [Theory]
    [InlineData("detect=sometimes", "'detect' must be auto, always or never.")]
    [InlineData("max_faces=0", "'max_faces' must be a whole number from 1 to 20.")]
    [InlineData("max_faces=21", "'max_faces' must be a whole number from 1 to 20.")]
    [InlineData("max_faces=two", "'max_faces' must be a whole number from 1 to 20.")]
    [InlineData("max_faces=-1", "'max_faces' must be a whole number from 1 to 20.")]
    public async Task Analyze_refuses_invalid_query_options(string query, string detail)
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();

        using var response = await client.PostAsync($"/v1/analyze?{query}", Upload.Multipart(TestImages.FaceJpeg()));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "invalid-parameter");
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    public static TheoryData<string, Func<HttpContent>, HttpStatusCode, string> BadInputs => new()
    {
        { "empty file field", () => Upload.Multipart([]), HttpStatusCode.UnprocessableEntity, "image-empty" },
        { "empty raw body", () => Upload.Raw([]), HttpStatusCode.UnprocessableEntity, "image-empty" },
        { "text as the image", () => Upload.Multipart(TestImages.Text(), fileName: "notes.jpg"), HttpStatusCode.UnprocessableEntity, "not-an-image" },
        { "text as a raw image body", () => Upload.Raw(TestImages.Text(), "image/jpeg"), HttpStatusCode.UnprocessableEntity, "not-an-image" },
        { "truncated JPEG", () => Upload.Multipart(TestImages.TruncatedJpeg()), HttpStatusCode.UnprocessableEntity, "image-truncated" },
        { "corrupt PNG data", () => Upload.Multipart(TestImages.CorruptPng(), contentType: "image/png"), HttpStatusCode.UnprocessableEntity, "image-corrupt" },
        { "100000x100000 PNG", () => Upload.Multipart(TestImages.HugeDimensionPng(), contentType: "image/png"), HttpStatusCode.UnprocessableEntity, "image-too-large" },
        { "text/plain body", () => Upload.Raw(TestImages.FaceJpeg(), "text/plain"), HttpStatusCode.UnsupportedMediaType, "unsupported-media-type" },
        { "JSON body", () => JsonContent.Create(new { image = "https://example.org/face.jpg" }), HttpStatusCode.UnsupportedMediaType, "unsupported-media-type" },
        { "no content type", () => Upload.Raw(TestImages.FaceJpeg(), null), HttpStatusCode.UnsupportedMediaType, "unsupported-media-type" },
        { "missing image field", () => Upload.Multipart(TestImages.FaceJpeg(), field: "photo"), HttpStatusCode.BadRequest, "missing-field" },
        { "multipart without boundary", () => Upload.Raw(TestImages.FaceJpeg(), "multipart/form-data"), HttpStatusCode.BadRequest, "bad-request" },
        { "oversized body", () => Upload.Raw(new byte[70_000]), HttpStatusCode.RequestEntityTooLarge, "body-too-large" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Analyze_answers_bad_input_with_the_problem_of_its_kind(string input, Func<HttpContent> content, HttpStatusCode status, string slug)
    {
        await using var factory = new ServerFactory(new Dictionary<string, string?> { ["Server:MaxBodyBytes"] = "65536" });
        using var client = factory.CreateClient();

        using var response = await client.PostAsync("/v1/analyze", content());

        var problem = await Problem.AssertAsync(response, status, slug);
        Assert.Equal("/v1/analyze", problem.GetProperty("instance").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), input);
    }

    [Fact]
    public async Task Analyze_refuses_an_oversized_body_sent_without_a_declared_length()
    {
        await using var factory = new ServerFactory(new Dictionary<string, string?> { ["Server:MaxBodyBytes"] = "65536" });
        using var client = factory.CreateClient();
        using var content = new StreamContent(new MemoryStream(new byte[200_000]));
        content.Headers.ContentType = new("image/jpeg");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/analyze") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "body-too-large");
        Assert.Equal("The request body holds more than the 65,536 bytes accepted.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Analyze_checks_the_pixel_count_against_the_configured_limit()
    {
        await using var factory = new ServerFactory(new Dictionary<string, string?> { ["Server:MaxPixels"] = "10000" });
        using var client = factory.CreateClient();

        using var small = await client.PostAsync("/v1/analyze", Upload.Multipart(TestImages.FaceJpeg(100, 100)));
        using var large = await client.PostAsync("/v1/analyze", Upload.Multipart(TestImages.FaceJpeg(101, 100)));

        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        var problem = await Problem.AssertAsync(large, HttpStatusCode.UnprocessableEntity, "image-too-large");
        Assert.Contains("101x100 = 10,100 pixels; at most 10,000", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Analyze_failure_inside_the_server_is_a_500_problem_without_details()
    {
        await using var factory = new ServerFactory(
            new Dictionary<string, string?> { ["Server:Detector"] = "broken" },
            services => services.AddFaceDetector("broken", _ => new BrokenDetector()));
        using var client = factory.CreateClient();

        using var response = await client.PostAsync("/v1/analyze", Upload.Multipart(TestImages.FaceJpeg()));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.InternalServerError, "internal");
        var text = problem.GetRawText();
        Assert.DoesNotContain(BrokenDetector.Message, text);
        Assert.DoesNotContain(nameof(BrokenDetector), text);
        Assert.Equal("The server could not complete the request; the error is logged.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Batch_returns_each_image_result_or_its_own_problem_in_upload_order()
    {
        await using var factory = ServerFactory.WithSquareDetector();
        using var client = factory.CreateClient();
        using var squares = TestImages.Squares(300, 200, new Rect(10, 10, 50, 50), new Rect(100, 50, 90, 90));

        using var response = await client.PostAsync("/v1/analyze/batch", Upload.Batch(
            ("images", TestImages.Png(squares)), ("images", TestImages.Text()), ("other", TestImages.FaceJpeg()), ("images", TestImages.TruncatedJpeg())));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2, 3], results.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal(["images", "images", "other", "images"], results.Select(r => r.GetProperty("name").GetString()));
        Assert.Equal([90, 50], results[0].GetProperty("analysis").GetProperty("faces").EnumerateArray().Select(f => f.GetProperty("box").GetProperty("width").GetInt32()));
        Assert.Equal(ProblemKind.TypePrefix + "not-an-image", results[1].GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(422, results[1].GetProperty("error").GetProperty("status").GetInt32());
        Assert.Single(results[2].GetProperty("analysis").GetProperty("faces").EnumerateArray());
        Assert.Equal(ProblemKind.TypePrefix + "image-truncated", results[3].GetProperty("error").GetProperty("type").GetString());
        Assert.False(results[0].TryGetProperty("error", out _));
        Assert.Equal("test-f2d-tiny", body.GetProperty("model").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Batch_refuses_more_images_than_allowed_no_images_and_raw_bodies()
    {
        await using var factory = new ServerFactory(new Dictionary<string, string?> { ["Server:MaxBatchImages"] = "2" });
        using var client = factory.CreateClient();
        var face = TestImages.FaceJpeg(64, 64);

        using var tooMany = await client.PostAsync("/v1/analyze/batch", Upload.Batch(("a", face), ("b", face), ("c", face)));
        using var none = await client.PostAsync("/v1/analyze/batch", new MultipartFormDataContent { { new StringContent("x"), "note" } });
        using var raw = await client.PostAsync("/v1/analyze/batch", Upload.Raw(face));

        var problem = await Problem.AssertAsync(tooMany, HttpStatusCode.BadRequest, "too-many-images");
        Assert.Equal("The batch holds 3 images; at most 2 are accepted per request.", problem.GetProperty("detail").GetString());
        await Problem.AssertAsync(none, HttpStatusCode.BadRequest, "missing-field");
        await Problem.AssertAsync(raw, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Fact]
    public async Task Unknown_routes_and_wrong_methods_are_problems_too()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();

        using var missing = await client.GetAsync("/v1/nothing-here");
        using var wrongMethod = await client.GetAsync("/v1/analyze");

        await Problem.AssertAsync(missing, HttpStatusCode.NotFound, "not-found");
        await Problem.AssertAsync(wrongMethod, HttpStatusCode.MethodNotAllowed, "method-not-allowed");
    }

    private sealed class BrokenDetector : IFaceDetector
    {
        public const string Message = "detector state is inconsistent: secret internals";

        public IReadOnlyList<DetectedFace> Detect(Mat bgr) => throw new InvalidOperationException(Message);

        public void Dispose()
        {
        }
    }
}
