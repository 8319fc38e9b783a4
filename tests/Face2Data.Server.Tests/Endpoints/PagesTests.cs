using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Face2Data.Schema;
using Face2Data.Server.Contracts;
using Microsoft.Extensions.DependencyInjection;
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
    public async Task Dataset_is_what_the_hosts_describer_reads_from_the_configured_path_once()
    {
        var describer = new FixedDescriber();
        await using var factory = new ServerFactory(
            new Dictionary<string, string?> { ["Server:DatasetPath"] = _directory },
            services => services.AddSingleton<IDatasetDescriber>(describer));
        using var client = factory.CreateClient();

        var first = await client.GetFromJsonAsync<JsonElement>("/v1/dataset");
        var second = await client.GetFromJsonAsync<JsonElement>("/v1/dataset");

        Assert.Equal([_directory], describer.Paths);
        Assert.Equal(first.GetRawText(), second.GetRawText());
        Assert.Equal("""{"name":"fixed","samples":3,"heads":[{"name":"gender","kind":"categorical","bins":[{"label":"male","count":1},{"label":"female","count":2}],"unknown":0}]}""", first.GetRawText());
    }

    [Fact]
    public async Task Dataset_is_a_404_problem_that_says_why_when_the_host_cannot_read_datasets()
    {
        await using var factory = new ServerFactory(new Dictionary<string, string?> { ["Server:DatasetPath"] = _directory });
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/v1/dataset");

        var problem = await Problem.AssertAsync(response, HttpStatusCode.NotFound, "not-found");
        Assert.Contains("face2data serve --dataset", problem.GetProperty("detail").GetString());
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

    private sealed class FixedDescriber : IDatasetDescriber
    {
        public List<string> Paths { get; } = [];

        public DatasetResponse Describe(string path)
        {
            Paths.Add(path);
            return new DatasetResponse("fixed", 3, [new DistributionResponse("gender", HeadKind.Categorical, [new BinResponse("male", 1), new BinResponse("female", 2)], 0)]);
        }
    }
}
