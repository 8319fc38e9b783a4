using Face2Data.Detection;
using Face2Data.Inference;
using Face2Data.Tests.Imaging;
using OpenCvSharp;

namespace Face2Data.Tests.Inference;

public sealed class FaceAnalyzerTests
{
    // Squares on 16-pixel boundaries, so that the JPEG's 4:2:0 blocks keep their edges sharp at every scale.
    private static readonly Rect Large = new(400, 304, 320, 320);
    private static readonly Rect Small = new(1504, 704, 96, 96);

    [Fact]
    public void A_large_jpeg_is_scanned_at_reduced_scale_and_boxes_come_back_in_full_resolution_pixels()
    {
        var jpeg = Photo(2000, 1200, Large);
        var detector = new BrightSquareDetector();
        using var analyzer = FaceAnalyzer.Load(TinyModel.Path, new FaceAnalyzerOptions { ReducedDecodeSide = 480 }, detector);

        var analysis = analyzer.Analyze(jpeg);

        Assert.Equal([(500, 300)], detector.Scanned); // 2000 / 4 = 500 ≥ 480; 2000 / 8 = 250 would not be
        Assert.Equal((2000, 1200), (analysis.Width, analysis.Height));
        var face = Assert.Single(analysis.Faces);
        Assert.Equal(new FaceBox(Large.X, Large.Y, Large.Width, Large.Height), face.Box);
    }

    [Fact]
    public void Faces_large_enough_are_cut_from_the_reduced_image_and_predict_like_full_resolution()
    {
        var jpeg = Photo(2000, 1200, Large);
        using var reduced = FaceAnalyzer.Load(TinyModel.Path, new FaceAnalyzerOptions { ReducedDecodeSide = 480 }, new BrightSquareDetector());
        using var full = FaceAnalyzer.Load(TinyModel.Path, new FaceAnalyzerOptions(), new BrightSquareDetector());

        var fromReduced = Assert.Single(reduced.Analyze(jpeg).Faces);
        var fromFull = Assert.Single(full.Analyze(jpeg).Faces);

        Assert.Equal(fromFull.Box, fromReduced.Box);
        foreach (var (head, prediction) in fromFull.Attributes)
        {
            var other = fromReduced.Attributes[head];
            Assert.Equal(prediction.Label, other.Label);
            Assert.Equal(prediction.Value ?? 0, other.Value ?? 0, 0.5f);
            Assert.Equal(prediction.Confidence ?? 0, other.Confidence ?? 0, 0.02f);
        }
    }

    [Fact]
    public void A_face_too_small_at_reduced_scale_is_cut_from_a_full_resolution_decode()
    {
        // At 1/4 the small square's crop is 24 px, under the model's 32: both faces come from the full decode,
        // so every output equals the full-resolution analyzer's exactly.
        var jpeg = Photo(2000, 1200, Large, Small);
        using var reduced = FaceAnalyzer.Load(TinyModel.Path, new FaceAnalyzerOptions { ReducedDecodeSide = 480 }, new BrightSquareDetector());
        using var full = FaceAnalyzer.Load(TinyModel.Path, new FaceAnalyzerOptions(), new BrightSquareDetector());

        var fromReduced = reduced.Analyze(jpeg).Faces;
        var fromFull = full.Analyze(jpeg).Faces;

        Assert.Equal(2, fromReduced.Count);
        Assert.Equal(new FaceBox(Small.X, Small.Y, Small.Width, Small.Height), fromReduced[1].Box);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(fromFull[i].Box, fromReduced[i].Box);
            Assert.Equal(fromFull[i].Attributes["age"].Value, fromReduced[i].Attributes["age"].Value);
            Assert.Equal(fromFull[i].Attributes["race"].Probabilities, fromReduced[i].Attributes["race"].Probabilities);
        }
    }

    [Fact]
    public async Task A_detector_given_for_one_call_finds_the_faces_instead_of_the_analyzers_own()
    {
        var jpeg = Photo(1200, 800, Large);
        var callers = new BrightSquareDetector();
        using var analyzer = FaceAnalyzer.Load(TinyModel.Path); // no detector of its own: the whole image is one face
        using var image = Cv2.ImDecode(jpeg, ImreadModes.Color);

        var own = await analyzer.AnalyzeAsync(jpeg, new() { Detection = DetectionMode.Auto, MaxFaces = 5 });
        var chosen = await analyzer.AnalyzeAsync(jpeg, new() { Detection = DetectionMode.Auto, MaxFaces = 5, Detector = callers });
        var found = analyzer.FindFaces(image, new() { Detection = DetectionMode.Auto, MaxFaces = 5, Detector = callers });
        try
        {
            var expected = new FaceBox(Large.X, Large.Y, Large.Width, Large.Height);
            Assert.Equal(new FaceBox(0, 0, 1200, 800), Assert.Single(own.Faces).Box);
            Assert.Equal(expected, Assert.Single(chosen.Faces).Box);
            Assert.Equal(expected, Assert.Single(found).Box);
            Assert.Equal(2, callers.Scanned.Count);
        }
        finally
        {
            foreach (var face in found)
            {
                face.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_detector_given_for_one_call_scans_a_jpeg_decoded_for_its_own_scanning_size()
    {
        var jpeg = Photo(2000, 1200, Large);
        var own = new BrightSquareDetector();
        var callers = new BrightSquareDetector { ScanSide = 480 };
        var callersOnFullSize = new BrightSquareDetector { ScanSide = 480 };
        using var reducing = FaceAnalyzer.Load(TinyModel.Path, new FaceAnalyzerOptions { ReducedDecodeSide = 960 }, own);
        using var fullSize = FaceAnalyzer.Load(TinyModel.Path, new FaceAnalyzerOptions(), own);

        await reducing.AnalyzeAsync(jpeg, new() { Detection = DetectionMode.Auto, MaxFaces = 5 });
        var chosen = await reducing.AnalyzeAsync(jpeg, new() { Detection = DetectionMode.Auto, MaxFaces = 5, Detector = callers });
        await fullSize.AnalyzeAsync(jpeg, new() { Detection = DetectionMode.Auto, MaxFaces = 5, Detector = callersOnFullSize });

        Assert.Equal([(1000, 600)], own.Scanned); // the analyzer's own setting: 2000 / 2 ≥ 960
        Assert.Equal([(500, 300)], callers.Scanned); // the caller's detector's: 2000 / 4 ≥ 480
        Assert.Equal([(2000, 1200)], callersOnFullSize.Scanned); // reduced decoding off stays off
        Assert.Equal(new FaceBox(Large.X, Large.Y, Large.Width, Large.Height), Assert.Single(chosen.Faces).Box);
    }

    [Fact]
    public void Without_detection_the_image_is_decoded_at_full_size()
    {
        var jpeg = Photo(1200, 1200, Large);
        var detector = new BrightSquareDetector();
        using var analyzer = FaceAnalyzer.Load(TinyModel.Path, new FaceAnalyzerOptions { ReducedDecodeSide = 200, Detection = DetectionMode.Never }, detector);

        var analysis = analyzer.Analyze(jpeg);

        Assert.Empty(detector.Scanned);
        Assert.Equal(new FaceBox(0, 0, 1200, 1200), Assert.Single(analysis.Faces).Box);
    }

    [Fact]
    public async Task AnalyzeAsync_with_batching_gives_the_results_of_Analyze()
    {
        var jpeg = Photo(640, 480, new Rect(64, 64, 160, 160), new Rect(400, 224, 128, 128));
        var batching = new InferenceBatcherOptions { MaxBatchSize = 8, MaxWait = TimeSpan.FromMilliseconds(50) };
        using var batched = FaceAnalyzer.Load(TinyModel.Path, new FaceAnalyzerOptions { Batching = batching }, new BrightSquareDetector());
        using var plain = FaceAnalyzer.Load(TinyModel.Path, new FaceAnalyzerOptions(), new BrightSquareDetector());

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => batched.AnalyzeAsync(jpeg, new() { Detection = DetectionMode.Auto, MaxFaces = 20 }))));
        var expected = plain.Analyze(jpeg);

        foreach (var analysis in results)
        {
            Assert.Equal(expected.Faces.Select(f => f.Box), analysis.Faces.Select(f => f.Box));
            for (var i = 0; i < expected.Faces.Count; i++)
            {
                var want = expected.Faces[i].Attributes["gender"].Probabilities!;
                var got = analysis.Faces[i].Attributes["gender"].Probabilities!;
                Assert.All(want, p => Assert.Equal(p.Value, got[p.Key], 1e-5f));
                Assert.Equal(expected.Faces[i].Attributes["age"].Value!.Value, analysis.Faces[i].Attributes["age"].Value!.Value, 1e-4f);
            }
        }
    }

    [Fact]
    public void A_bgra_mat_follows_the_same_alpha_rule_as_png_bytes_composited_over_white()
    {
        using var analyzer = FaceAnalyzer.Load(TinyModel.Path, new FaceAnalyzerOptions { Detection = DetectionMode.Never });
        using var bgra = new Mat(96, 96, MatType.CV_8UC4, new Scalar(0, 0, 0, 0)); // transparent black
        using (var opaque = new Mat(bgra, new Rect(0, 0, 48, 96)))
        {
            Cv2.Randu(opaque, new Scalar(0, 0, 0, 255), new Scalar(255, 255, 255, 256));
        }

        var fromBytes = analyzer.Analyze(bgra.ImEncode(".png"));
        var fromMat = analyzer.Analyze(bgra);
        using var stripped = new Mat();
        Cv2.CvtColor(bgra, stripped, ColorConversionCodes.BGRA2BGR); // what dropping alpha would give: black, not white
        var fromStripped = analyzer.Analyze(stripped);

        var age = fromBytes.Faces.Single().Attributes["age"].Value!.Value;
        Assert.Equal(age, fromMat.Faces.Single().Attributes["age"].Value!.Value, 1e-5f);
        Assert.NotEqual(age, fromStripped.Faces.Single().Attributes["age"].Value!.Value, 1e-4f);
    }

    // Grey squares of seeded noise (215–255) on dark grey, on 16-pixel boundaries: every 8×8 block of the JPEG is
    // inside or outside a square and the colours are neutral, so edges stay exact at every decoding scale.
    internal static byte[] Photo(int width, int height, params Rect[] squares)
    {
        using var gray = new Mat(height, width, MatType.CV_8UC1, Scalar.All(60));
        var random = new Random(7);
        foreach (var square in squares)
        {
            for (var y = square.Top; y < square.Bottom; y++)
            {
                for (var x = square.Left; x < square.Right; x++)
                {
                    gray.Set(y, x, (byte)random.Next(215, 256));
                }
            }
        }

        using var image = new Mat();
        Cv2.CvtColor(gray, image, ColorConversionCodes.GRAY2BGR);
        return TestImages.Encode(image, ".jpg", new ImageEncodingParam(ImwriteFlags.JpegQuality, 100));
    }
}
