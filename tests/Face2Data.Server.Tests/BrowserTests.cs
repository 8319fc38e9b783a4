using System.Diagnostics;
using Face2Data.Datasets;
using Face2Data.Detection;
using Face2Data.Schema;
using Face2Data.Server.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenCvSharp;

namespace Face2Data.Server.Tests;

/// <summary>
/// The web page in Debian's Chromium (headless, driven by Playwright): a face photo is uploaded and its box, labels and
/// probability bars appear. Screenshots are left in TestResults/screenshots/ beside the test assembly.
/// </summary>
public sealed class BrowserTests : IDisposable
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("f2d-browser-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Uploading_a_face_photo_draws_its_box_labels_and_probability_bars()
    {
        EnsureChromium();
        var photo = ComposeFacePhoto();
        await using var server = await KestrelServer.StartAsync(
            o =>
            {
                o.Detector = FaceDetectors.Haar;
                o.DatasetPath = TestPaths.UtkFaceArchive;
            },
            services => services.AddSingleton<IDatasetDescriber>(new ThreeHeadDescriber()));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchChromiumAsync(playwright);
        var page = await NewPageAsync(browser);
        var origin = server.Address.GetLeftPart(UriPartial.Authority);
        var foreign = new List<string>();
        var consoleErrors = CollectConsoleErrors(page);
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(origin, StringComparison.Ordinal) && !request.Url.StartsWith("blob:", StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                foreign.Add(request.Url);
            }
        };

        await page.GotoAsync(origin + "/");
        await page.SetInputFilesAsync("#file-input", photo);
        await page.WaitForSelectorAsync(".face-card", new PageWaitForSelectorOptions { Timeout = 15_000 });
        var boxLabel = await page.Locator(".box-label").First.InnerTextAsync();
        var landmarkDots = await page.Locator(".landmark").CountAsync();
        var dotsInBox = await page.EvaluateAsync<bool>(
            """
            () => {
              const box = document.querySelector(".box").getBoundingClientRect();
              return [...document.querySelectorAll(".landmark")].every(dot => {
                const r = dot.getBoundingClientRect();
                const x = r.left + r.width / 2, y = r.top + r.height / 2;
                return x >= box.left && x <= box.right && y >= box.top && y <= box.bottom;
              });
            }
            """);
        var eyesAboveMouth = await page.EvaluateAsync<bool>(
            """
            () => {
              const y = name => document.querySelector(`.landmark[data-point="${name}"]`).getBoundingClientRect().top;
              return y("left_eye") < y("mouth_left") && y("right_eye") < y("mouth_right");
            }
            """);
        var roll = await page.Locator(".face-card .roll").First.InnerTextAsync();
        var cards = await page.Locator(".face-card").CountAsync();
        var bars = await page.Locator(".face-card").First.Locator(".bar-row").CountAsync();
        var ageText = await page.Locator(".face-card .attribute .value").First.InnerTextAsync();
        var status = await page.Locator("#status").InnerTextAsync();
        var boxWidth = await page.Locator(".box").First.EvaluateAsync<double>("b => b.getBoundingClientRect().width");
        var imageWidth = await page.Locator("#preview").EvaluateAsync<double>("i => i.getBoundingClientRect().width");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestPaths.Artifacts("screenshots"), "analyze.png"), FullPage = true });

        await page.GotoAsync(origin + "/how-it-works.html");
        await page.WaitForSelectorAsync("#metrics tbody tr");
        var metric = await page.Locator("#metrics tbody tr").First.InnerTextAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestPaths.Artifacts("screenshots"), "how-it-works.png"), FullPage = true });
        await page.GotoAsync(origin + "/api.html");
        var modelOperation = page.Locator("details.operation", new PageLocatorOptions { HasText = "/v1/model" });
        await modelOperation.Locator("summary").ClickAsync();
        await modelOperation.Locator("button[type=submit]").ClickAsync();
        await modelOperation.Locator("pre.response", new LocatorLocatorOptions { HasText = "test-f2d-tiny" }).WaitForAsync();
        var operations = await page.Locator("details.operation").CountAsync();
        var tried = await modelOperation.Locator("pre.response").InnerTextAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestPaths.Artifacts("screenshots"), "api.png"), FullPage = true });
        await page.GotoAsync(origin + "/dataset.html");
        await page.WaitForSelectorAsync(".distribution", new PageWaitForSelectorOptions { Timeout = 15_000 });
        var distributions = await page.Locator(".distribution").CountAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestPaths.Artifacts("screenshots"), "dataset.png"), FullPage = true });

        Assert.Equal(1, cards);
        Assert.Matches(@"^1\s+\d+ y · (male|female) · (white|black|asian|indian|others)$", boxLabel);
        Assert.Equal(2 + 5, bars);
        Assert.Equal(5, landmarkDots);
        Assert.True(dotsInBox, "a landmark dot lies outside the face's box");
        Assert.True(eyesAboveMouth, "the eyes are not drawn above the mouth");
        Assert.Matches(@"^ · roll -?\d+°$", roll);
        Assert.Matches(@"^\d+(\.\d)? years$", ageText);
        Assert.Matches(@"^1 face in \d+ ms", status);
        // The detector's box covers the pasted face (300 of 720 pixels), not the whole photo.
        Assert.InRange(boxWidth / imageWidth, 0.2, 0.45);
        Assert.StartsWith("age.mae", metric);
        Assert.Equal(8, operations);
        Assert.StartsWith("200 OK", tried);
        Assert.Equal(3, distributions);
        Assert.Empty(foreign);
        Assert.Empty(consoleErrors);
    }

    [Fact]
    public async Task The_explain_toggle_of_a_head_shows_its_heatmap_over_the_face_and_hides_it_again()
    {
        EnsureChromium();
        var photo = ComposeFacePhoto();
        await using var server = await KestrelServer.StartAsync(
            o => o.Detector = FaceDetectors.Haar);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchChromiumAsync(playwright);
        var page = await NewPageAsync(browser);
        var consoleErrors = CollectConsoleErrors(page);
        var apiQueries = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/v1/", StringComparison.Ordinal))
            {
                apiQueries.Add(new Uri(request.Url).PathAndQuery);
            }
        };

        await page.GotoAsync(server.Address.GetLeftPart(UriPartial.Authority) + "/");
        await page.SelectOptionAsync("#detector", "tiny"); // not the server's: the explanation must find its face with it too
        await page.SetInputFilesAsync("#file-input", photo);
        await page.WaitForSelectorAsync(".face-card", new PageWaitForSelectorOptions { Timeout = 15_000 });
        var toggles = await page.Locator(".face-card .explain-toggle").CountAsync();
        var gender = page.Locator(".face-card .attribute[data-head=gender]");
        await gender.Locator(".explain-toggle").ClickAsync();
        await gender.Locator(".explain-overlay").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        await page.WaitForFunctionAsync("() => document.querySelector('.attribute[data-head=gender] .explain-overlay').complete");
        var overlayWidth = await gender.Locator(".explain-overlay").EvaluateAsync<int>("i => i.naturalWidth");
        var caption = await gender.Locator(".explain-view figcaption").InnerTextAsync();
        var pressed = await gender.Locator(".explain-toggle").GetAttributeAsync("aria-pressed");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestPaths.Artifacts("screenshots"), "explain.png"), FullPage = true });
        await gender.Locator(".explain-toggle").ClickAsync();
        var hiddenAfter = await gender.Locator(".explain-view").EvaluateAsync<bool>("v => v.classList.contains('hidden')");

        Assert.Equal(3, toggles);
        Assert.Contains(apiQueries, q => q.StartsWith("/v1/analyze?", StringComparison.Ordinal) && q.Contains("detector=tiny", StringComparison.Ordinal));
        Assert.Contains(apiQueries, q => q.StartsWith("/v1/explain?", StringComparison.Ordinal) && q.Contains("detector=tiny", StringComparison.Ordinal) && q.Contains("head=gender", StringComparison.Ordinal));
        Assert.Equal(256, overlayWidth);
        Assert.Matches(@"^Red: regions that pushed towards “(male|female)”; blue: regions that pushed away\. occlusion, 8×8 grid: ", caption);
        Assert.Equal("true", pressed);
        Assert.True(hiddenAfter);
        Assert.Empty(consoleErrors);
    }

    [Fact]
    public async Task Webcam_mode_overlays_boxes_on_live_frames_at_the_rate_the_server_sustains()
    {
        EnsureChromium();
        await using var server = await KestrelServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        // Chromium's fake camera: a moving test pattern, granted without a permission prompt.
        await using var browser = await LaunchChromiumAsync(playwright, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream");
        var page = await NewPageAsync(browser);

        await page.GotoAsync(server.Address.GetLeftPart(UriPartial.Authority) + "/");
        await page.SelectOptionAsync("#detect", "never");
        await page.ClickAsync("#mode-webcam");
        await page.ClickAsync("#webcam-toggle");
        await page.Locator("#webcam-rate", new PageLocatorOptions { HasTextRegex = new System.Text.RegularExpressions.Regex("frames/s") }).WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        await page.WaitForFunctionAsync("() => document.querySelectorAll('.box').length === 1");
        var rate = await page.Locator("#webcam-rate").InnerTextAsync();
        var label = await page.Locator(".box-label").InnerTextAsync();
        var videoPlaying = await page.Locator("#video").EvaluateAsync<bool>("v => !v.paused && v.videoWidth > 0");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestPaths.Artifacts("screenshots"), "webcam.png") });
        await page.ClickAsync("#webcam-toggle");
        var requestsAfterStop = await CountAnalyzeRequestsAsync(server);
        await Task.Delay(500);

        Assert.Matches(@"^\d+(\.\d)? frames/s, \d+ ms on the server$", rate);
        Assert.Matches(@"^1\s+\d+ y · (male|female) · (white|black|asian|indian|others)$", label);
        Assert.True(videoPlaying);
        Assert.Equal("Start webcam", await page.Locator("#webcam-toggle").InnerTextAsync());
        // Stopped means stopped: at most the frame already in flight still arrives.
        Assert.InRange(await CountAnalyzeRequestsAsync(server) - requestsAfterStop, 0, 1);
    }

    private static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright, params string[] extraArgs) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = [.. ChromiumArgs, .. extraArgs],
            Timeout = 30_000,
        });

    private static Task<IPage> NewPageAsync(IBrowser browser) =>
        browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });

    private static List<string> CollectConsoleErrors(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        return errors;
    }

    private static async Task<long> CountAnalyzeRequestsAsync(KestrelServer server)
    {
        using var client = server.CreateClient();
        var metrics = await client.GetStringAsync("/metrics");
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("face2data_http_requests_total{route=\"/v1/analyze\",method=\"POST\",status=\"200\"}", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    // Debian's Chromium, installed by build/setup-system.sh when missing.
    private static void EnsureChromium()
    {
        if (File.Exists(ChromiumPath))
        {
            return;
        }

        using var setup = Process.Start(new ProcessStartInfo("bash", [Path.Combine(TestPaths.RepositoryRoot, "build", "setup-system.sh")]) { RedirectStandardError = true });
        setup!.WaitForExit(TimeSpan.FromMinutes(10));
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing and build/setup-system.sh could not install it: {setup.StandardError.ReadToEnd()}");
    }

    // One UTKFace crop of an adult, enlarged on a plain backdrop the size of a phone photo; written to a temporary
    // folder only, never kept.
    private string ComposeFacePhoto()
    {
        Assert.True(File.Exists(TestPaths.UtkFaceArchive), $"The browser test needs {TestPaths.UtkFaceArchive}.");
        var dataset = UtkFaceDataset.Open(TestPaths.UtkFaceArchive);
        var index = Enumerable.Range(0, dataset.Samples.Count).First(i => dataset.Samples[i].Labels[0] is >= 25 and <= 40);
        var crop = dataset.ReadImages().First(image => image.Index == index).Bytes;
        using var face = Cv2.ImDecode(crop, ImreadModes.Color);
        using var photo = new Mat(480, 720, MatType.CV_8UC3, new Scalar(222, 214, 206));
        using var enlarged = new Mat();
        Cv2.Resize(face, enlarged, new Size(300, 300), interpolation: InterpolationFlags.Cubic);
        using (var target = new Mat(photo, new Rect(210, 90, 300, 300)))
        {
            enlarged.CopyTo(target);
        }

        var path = Path.Combine(_directory, "photo.jpg");
        Cv2.ImWrite(path, photo);
        return path;
    }

    // The dataset page's three distributions, as a host's describer would give them (the server reads no dataset).
    private sealed class ThreeHeadDescriber : IDatasetDescriber
    {
        public DatasetResponse Describe(string path) => new("UTKFace", 6,
        [
            new("age", HeadKind.Regression, [new("0–9", 1), new("10–19", 2), new("20–29", 3)], 0),
            new("gender", HeadKind.Categorical, [new("male", 4), new("female", 2)], 0),
            new("race", HeadKind.Categorical, [new("white", 3), new("black", 1), new("asian", 1), new("indian", 1), new("others", 0)], 0),
        ]);
    }
}
