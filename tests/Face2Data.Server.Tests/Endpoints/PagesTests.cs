using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Face2Data.Datasets;
using OpenCvSharp;

namespace Face2Data.Server.Tests.Endpoints;

/// <summary>The web pages, their charts and the dataset distributions behind them.</summary>
public sealed partial class PagesTests : IDisposable
{
    private static readonly string[] PageFiles = ["/", "/index.html", "/how-it-works.html", "/dataset.html", "/api.html", "/app.js", "/style.css"];

    private readonly string _directory = Directory.CreateTempSubdirectory("f2d-pages-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Pages_are_served_with_their_types_and_a_policy_that_forbids_other_origins()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();

        foreach (var path in PageFiles)
        {
            using var response = await client.GetAsync(path);
            var text = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.OK, path);
            var expectedType = path.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : path.EndsWith(".css", StringComparison.Ordinal) ? "text/css" : "text/html";
            Assert.Equal(expectedType, response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            // Everything is local: no script, style, image or font from another origin.
            Assert.Empty(ExternalReference().Matches(text).Select(m => m.Value));
        }
    }

    [Fact]
    public async Task Index_page_has_the_upload_webcam_and_result_areas_the_script_drives()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();

        var html = await client.GetStringAsync("/");
        var script = await client.GetStringAsync("/app.js");

        foreach (var id in new[] { "file-input", "drop-zone", "webcam-toggle", "video", "preview", "boxes", "faces", "detect", "status" })
        {
            Assert.Contains($"id=\"{id}\"", html);
            Assert.Contains($"\"{id}\"", script);
        }

        Assert.Contains("getUserMedia", script);
        Assert.Contains("<script src=\"app.js\"></script>", html);
    }

    [Fact]
    public async Task Assets_list_the_chart_images_of_the_configured_folder_and_serve_them()
    {
        using (var chart = TestImages.Face(40, 30))
        {
            Cv2.ImWrite(Path.Combine(_directory, "training-curves.png"), chart);
            Cv2.ImWrite(Path.Combine(_directory, "dataset-age.png"), chart);
        }

        await File.WriteAllTextAsync(Path.Combine(_directory, "notes.txt"), "not a chart");
        await using var factory = new ServerFactory(new Dictionary<string, string?> { ["Server:AssetsDirectory"] = _directory });
        using var client = factory.CreateClient();

        var listing = await client.GetStringAsync("/v1/assets");
        using var image = await client.GetAsync("/assets/training-curves.png");
        using var outside = await client.GetAsync("/assets/..%2F..%2Fetc%2Fpasswd");

        Assert.Equal("""{"files":[{"name":"dataset-age.png","url":"/assets/dataset-age.png"},{"name":"training-curves.png","url":"/assets/training-curves.png"}]}""", listing);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_directory, "training-curves.png")), await image.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
    }

    [Fact]
    public async Task Assets_are_an_empty_list_without_a_folder()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();

        Assert.Equal("""{"files":[]}""", await client.GetStringAsync("/v1/assets"));
    }

    [Fact]
    public async Task Dataset_counts_the_labels_of_the_configured_dataset()
    {
        var folder = Path.Combine(_directory, "UTKFace");
        Directory.CreateDirectory(folder);
        string[] names =
        [
            "1_0_0_20170101000000001.jpg.chip.jpg", "25_1_2_20170101000000002.jpg.chip.jpg", "29_1_2_20170101000000003.jpg.chip.jpg",
            "30_0_1_20170101000000004.jpg.chip.jpg", "116_1_4_20170101000000005.jpg.chip.jpg",
        ];
        var jpeg = TestImages.FaceJpeg(20, 20);
        foreach (var name in names)
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, name), jpeg);
        }

        await using var factory = new ServerFactory(new Dictionary<string, string?> { ["Server:DatasetPath"] = folder });
        using var client = factory.CreateClient();

        var dataset = await client.GetFromJsonAsync<JsonElement>("/v1/dataset");

        Assert.Equal("UTKFace", dataset.GetProperty("name").GetString());
        Assert.Equal(5, dataset.GetProperty("samples").GetInt32());
        var heads = dataset.GetProperty("heads").EnumerateArray().ToDictionary(h => h.GetProperty("name").GetString()!);
        Assert.Equal("""[{"label":"male","count":2},{"label":"female","count":3}]""", heads["gender"].GetProperty("bins").GetRawText());
        Assert.Equal([1, 1, 2, 0, 1], heads["race"].GetProperty("bins").EnumerateArray().Select(b => b.GetProperty("count").GetInt32()));
        var age = heads["age"].GetProperty("bins").EnumerateArray().Select(b => (b.GetProperty("label").GetString(), b.GetProperty("count").GetInt32())).ToList();
        Assert.Equal(12, age.Count);
        Assert.Equal(("0–9", 1), age[0]);
        Assert.Equal(("20–29", 2), age[2]);
        Assert.Equal(("30–39", 1), age[3]);
        Assert.Equal(("110–116", 1), age[11]);
        Assert.Equal(5, age.Sum(a => a.Item2));
        Assert.Equal(0, heads["age"].GetProperty("unknown").GetInt32());
        Assert.Equal(5, DatasetStatistics.Count(UtkFaceDataset.Open(folder), folder).Samples);
    }

    [Fact]
    public async Task Dataset_is_a_404_problem_without_a_dataset()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/v1/dataset");

        await Problem.AssertAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [GeneratedRegex("""(src|href)\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//|@import|fonts\.googleapis|cdn\.""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
