using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Face2Data.Inference;
using OpenCvSharp;

namespace Face2Data.Server.Tests.Endpoints;

public sealed class ExplainEndpointsTests
{
    [Fact]
    public async Task Explain_gives_every_head_a_grid_outputs_and_a_png_overlay_at_its_prediction()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();
        var bytes = TestImages.FaceJpeg(96, 96);
        using var analyzer = FaceAnalyzer.Load(TestModel.Path);
        var expected = Assert.Single(analyzer.Analyze(bytes).Faces);

        using var response = await client.PostAsync("/v1/explain", Upload.Multipart(bytes));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("face_number").GetInt32());
        Assert.Equal("""{"width":96,"height":96}""", body.GetProperty("image").GetRawText());
        Assert.Equal("""{"x":0,"y":0,"width":96,"height":96}""", body.GetProperty("face").GetProperty("box").GetRawText());
        var explanations = body.GetProperty("explanations").EnumerateArray().ToList();
        Assert.Equal(["age", "gender", "race"], explanations.Select(e => e.GetProperty("head").GetString()));
        foreach (var explanation in explanations)
        {
            var head = explanation.GetProperty("head").GetString()!;
            var prediction = expected.Attributes[head];
            var grid = explanation.GetProperty("grid").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToList();
            Assert.Equal(8, explanation.GetProperty("grid_size").GetInt32());
            Assert.Equal(8, grid.Count);
            Assert.All(grid, row => Assert.Equal(8, row.Length));
            Assert.Equal("occlusion", explanation.GetProperty("method").GetString());
            Assert.Equal("blur", explanation.GetProperty("baseline").GetString());
            Assert.Equal(32, explanation.GetProperty("input_size").GetInt32());
            Assert.Equal(7 * 7 + 2, explanation.GetProperty("evaluations").GetInt32());
            if (head == "age")
            {
                Assert.False(explanation.TryGetProperty("class", out _));
                Assert.Equal(prediction.Value!.Value, explanation.GetProperty("output").GetSingle(), 3);
            }
            else
            {
                Assert.Equal(prediction.Label, explanation.GetProperty("class").GetString());
                Assert.Equal(prediction.Confidence!.Value, explanation.GetProperty("output").GetSingle(), 5);
            }

            Assert.Equal(grid.SelectMany(r => r).Sum(v => (double)v), explanation.GetProperty("sum").GetDouble(), 4);
            var png = Convert.FromBase64String(explanation.GetProperty("overlay_png").GetString()!);
            Assert.True(png.AsSpan().StartsWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }));
            using var overlay = Cv2.ImDecode(png, ImreadModes.Color);
            Assert.Equal((256, 256), (overlay.Width, overlay.Height));
        }

        var timings = body.GetProperty("timings_ms");
        Assert.True(timings.GetProperty("total").GetDouble() >= timings.GetProperty("explain").GetDouble());
    }

    [Fact]
    public async Task Explain_options_in_the_query_pick_the_head_class_method_grid_and_budget()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();

        using var response = await client.PostAsync("/v1/explain?head=race&class=asian&method=shap&grid=4&samples=64&seed=3", Upload.Raw(TestImages.FaceJpeg(80, 80)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var explanation = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("explanations").EnumerateArray());
        Assert.Equal(("race", "asian", "shap"), (explanation.GetProperty("head").GetString(), explanation.GetProperty("class").GetString(), explanation.GetProperty("method").GetString()));
        Assert.Equal((4, 64, 3, 66), (explanation.GetProperty("grid_size").GetInt32(), explanation.GetProperty("samples").GetInt32(), explanation.GetProperty("seed").GetInt32(), explanation.GetProperty("evaluations").GetInt32()));
        Assert.Equal(4, explanation.GetProperty("grid").GetArrayLength());
        var difference = explanation.GetProperty("output").GetDouble() - explanation.GetProperty("baseline_output").GetDouble();
        Assert.Equal(difference, explanation.GetProperty("sum").GetDouble(), 4);
    }

    [Fact]
    public async Task Explain_options_may_come_as_multipart_fields_beside_the_image()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();
        using var content = Upload.Multipart(TestImages.FaceJpeg(64, 64));
        content.Add(new StringContent("gender"), "head");
        content.Add(new StringContent("6"), "grid");
        content.Add(new StringContent("mean"), "baseline");

        using var response = await client.PostAsync("/v1/explain?grid=3", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var explanation = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("explanations").EnumerateArray());
        Assert.Equal(("gender", 6, "mean"), (explanation.GetProperty("head").GetString(), explanation.GetProperty("grid_size").GetInt32(), explanation.GetProperty("baseline").GetString()));
    }

    [Theory]
    [InlineData("head=eyes", "unknown-head", "no head 'eyes'")]
    [InlineData("head=race&class=martian", "unknown-class", "no class 'martian'")]
    [InlineData("head=age&class=old", "unknown-class", "regression head")]
    [InlineData("class=female", "unknown-class", "give the head too")]
    [InlineData("method=gradcam", "unknown-method", "expected one of occlusion, shap")]
    [InlineData("grid=40", "invalid-parameter", "'grid' must be a whole number from 2 to 16")]
    [InlineData("method=shap&samples=5", "invalid-parameter", "'samples' must be a whole number from 64 to 2048")]
    [InlineData("baseline=zero", "invalid-parameter", "expected one of blur, mean")]
    [InlineData("patch=16&stride=20", "invalid-parameter", "stride must be 1 to 16 px")]
    [InlineData("detect=sometimes", "invalid-parameter", "'detect' must be auto, always or never")]
    public async Task Explain_refuses_what_the_model_or_the_methods_do_not_have_with_a_stable_problem_type(string query, string slug, string detail)
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();

        using var response = await client.PostAsync($"/v1/explain?{query}", Upload.Multipart(TestImages.FaceJpeg()));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, slug);
        Assert.Contains(detail, problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("(Parameter", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Explain_refuses_an_unknown_head_sent_as_a_form_field()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();
        using var content = Upload.Multipart(TestImages.FaceJpeg());
        content.Add(new StringContent("eyes"), "head");

        using var response = await client.PostAsync("/v1/explain", content);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "unknown-head");
    }

    [Fact]
    public async Task Explain_answers_bad_uploads_as_analyze_does()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();

        using var text = await client.PostAsync("/v1/explain", Upload.Multipart(TestImages.Text(), fileName: "notes.jpg"));
        using var truncated = await client.PostAsync("/v1/explain", Upload.Raw(TestImages.TruncatedJpeg()));
        using var missing = await client.PostAsync("/v1/explain", Upload.Multipart(TestImages.FaceJpeg(), field: "photo"));
        using var json = await client.PostAsync("/v1/explain", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        await Problem.AssertAsync(text, HttpStatusCode.UnprocessableEntity, "not-an-image");
        await Problem.AssertAsync(truncated, HttpStatusCode.UnprocessableEntity, "image-truncated");
        await Problem.AssertAsync(missing, HttpStatusCode.BadRequest, "missing-field");
        await Problem.AssertAsync(json, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Fact]
    public async Task Explain_of_an_image_without_the_face_asked_for_answers_422_no_face()
    {
        await using var factory = ServerFactory.WithSquareDetector();
        using var client = factory.CreateClient();
        using var image = TestImages.Squares(300, 200, new Rect(50, 50, 80, 80));

        using var none = await client.PostAsync("/v1/explain?detect=always", Upload.Multipart(TestImages.FaceJpeg(300, 200)));
        using var second = await client.PostAsync("/v1/explain?face=2", Upload.Multipart(TestImages.Png(image)));
        using var first = await client.PostAsync("/v1/explain?face=1&head=gender", Upload.Multipart(TestImages.Png(image)));

        await Problem.AssertAsync(none, HttpStatusCode.UnprocessableEntity, "no-face");
        var problem = await Problem.AssertAsync(second, HttpStatusCode.UnprocessableEntity, "no-face");
        Assert.Equal("Face 2 was asked for, but the image has fewer faces.", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("face").GetProperty("detected").GetBoolean());
        Assert.Equal("""{"x":50,"y":50,"width":80,"height":80}""", body.GetProperty("face").GetProperty("box").GetRawText());
    }
}
