using Face2Data.Detection;
using Face2Data.Inference;
using OpenCvSharp;

namespace Face2Data.Tests.Detection;

/// <summary>The bundled Tiny Face Detector (models/tiny_face_detector.onnx) on UTKFace faces, and its decoding.</summary>
public sealed class TinyFaceDetectorTests(UtkFaceCrops faces) : IClassFixture<UtkFaceCrops>, IDisposable
{
    private static readonly IReadOnlyList<Rect> Places = UtkFaceCrops.ThreeFacePlaces;
    private readonly TinyFaceDetector _detector = new(new TinyFaceDetectorOptions());

    public void Dispose() => _detector.Dispose();

    [Fact]
    public void The_bundled_model_is_used_by_default()
    {
        Assert.Equal(Path.GetFullPath(TinyFaceDetectorOptions.BundledPath), _detector.ModelPath);
        Assert.True(File.Exists(_detector.ModelPath));
    }

    [Fact]
    public void Detect_finds_the_planted_faces_largest_first_framed_like_the_crops()
    {
        var found = _detector.Detect(faces.ThreeFaces);

        Assert.Equal(Places.Count, found.Count);
        for (var i = 0; i < Places.Count; i++)
        {
            Assert.True(UtkFaceCrops.CropIoU(found[i].Box, Places[i]) >= 0.6, $"face {i}: box {found[i].Box}, planted {Places[i]}, IoU {UtkFaceCrops.CropIoU(found[i].Box, Places[i]):0.00}");
            Assert.InRange(found[i].Score, TinyFaceDetectorOptions.Default.ScoreThreshold, 1f);
        }
    }

    [Fact]
    public void Boxes_are_framed_like_the_Haar_cascades_and_the_networks_own_boxes_are_not()
    {
        using var own = new TinyFaceDetector(new TinyFaceDetectorOptions { Framing = CropGeometry.Identity });
        var haar = faces.Detector.Detect(faces.ThreeFaces);

        var framed = _detector.Detect(faces.ThreeFaces);
        var raw = own.Detect(faces.ThreeFaces);

        // Measured on 500 UTKFace crops (face2data-bench crop-geometry): the network's box is about 7% larger and
        // sits 0.13 of a side lower than the Haar box; the framing undoes that.
        Assert.Equal(haar.Count, framed.Count);
        for (var i = 0; i < haar.Count; i++)
        {
            Assert.True(framed[i].Box.IntersectionOverUnion(haar[i].Box) >= 0.7, $"face {i}: tiny {framed[i].Box}, haar {haar[i].Box}");
            Assert.True(raw[i].Box.Y > framed[i].Box.Y && raw[i].Box.Width > framed[i].Box.Width, $"face {i}: raw {raw[i].Box}, framed {framed[i].Box}");
        }
    }

    [Fact]
    public void Most_tight_crops_are_found_and_framed()
    {
        var whole = new Rect(0, 0, 200, 200);

        var framedWell = faces.Crops.Count(c => _detector.Detect(c) is [var face, ..] && UtkFaceCrops.CropIoU(face.Box, whole) >= 0.7);

        // Measured on 500 crops: 92.2% found, 91.0% framed with IoU ≥ 0.7 (the Haar cascade: 98.0%, 97.6%).
        Assert.True(framedWell >= faces.Crops.Count * 0.75, $"{framedWell} of {faces.Crops.Count} crops found and framed");
    }

    [Fact]
    public void Crops_run_small_first_find_at_least_as_many_faces()
    {
        using var fullSize = new TinyFaceDetector(new TinyFaceDetectorOptions { CropInputSize = null });
        var whole = new Rect(0, 0, 200, 200);

        var small = faces.Crops.Count(c => _detector.Detect(c) is [var face, ..] && UtkFaceCrops.CropIoU(face.Box, whole) >= 0.7);
        var full = faces.Crops.Count(c => fullSize.Detect(c) is [var face, ..] && UtkFaceCrops.CropIoU(face.Box, whole) >= 0.7);

        // Measured on 500 crops: 96.6% framed with IoU ≥ 0.7 at 224 pixels, 91.0% at the full 640.
        Assert.True(small >= full, $"{small} crops framed when run at 224 pixels, {full} at full size");
    }

    [Fact]
    public void A_crop_like_image_whose_small_run_finds_nothing_is_run_at_full_size()
    {
        // 480×480 looks like a crop, but at 224 pixels (border included) its 64-pixel faces are 21 pixels: too small.
        using var scene = faces.Scene(480, 480, UtkFaceCrops.Grey, [new(40, 40, 64, 64), new(300, 250, 64, 64)]);
        using var smallOnly = new TinyFaceDetector(new TinyFaceDetectorOptions { InputSize = 224, CropInputSize = null });
        using var fullSize = new TinyFaceDetector(new TinyFaceDetectorOptions { CropInputSize = null });

        var expected = fullSize.Detect(scene);

        Assert.Empty(smallOnly.Detect(scene));
        Assert.Equal(2, expected.Count);
        Assert.Equal(expected, _detector.Detect(scene));
    }

    [Fact]
    public void Large_images_are_scanned_at_the_input_size_and_boxes_come_back_in_full_resolution()
    {
        using var large = new Mat();
        Cv2.Resize(faces.ThreeFaces, large, new Size(2700, 1500), interpolation: InterpolationFlags.Linear);

        var found = _detector.Detect(large);

        Assert.Equal(Places.Count, found.Count);
        for (var i = 0; i < Places.Count; i++)
        {
            var planted = new Rect(Places[i].X * 3, Places[i].Y * 3, Places[i].Width * 3, Places[i].Height * 3);
            Assert.True(UtkFaceCrops.CropIoU(found[i].Box, planted) >= 0.6, $"face {i}: box {found[i].Box}, planted {planted}");
        }
    }

    [Fact]
    public void A_smaller_input_size_misses_the_smallest_face()
    {
        using var small = new TinyFaceDetector(new TinyFaceDetectorOptions { InputSize = 128 });

        // At 128 pixels across, the 130-pixel face of the 900-pixel scene is 18 pixels: below what the network finds.
        var found = small.Detect(faces.ThreeFaces);

        Assert.True(found.Count < Places.Count, $"found {found.Count}");
        Assert.DoesNotContain(found, f => UtkFaceCrops.CropIoU(f.Box, Places[2]) >= 0.5);
    }

    [Fact]
    public void Gray_and_bgra_images_give_the_boxes_of_the_bgr_image()
    {
        using var gray = new Mat();
        using var bgra = new Mat();
        Cv2.CvtColor(faces.ThreeFaces, bgra, ColorConversionCodes.BGR2BGRA);
        Cv2.CvtColor(faces.ThreeFaces, gray, ColorConversionCodes.BGR2GRAY);
        using var grayAsBgr = new Mat();
        Cv2.CvtColor(gray, grayAsBgr, ColorConversionCodes.GRAY2BGR);

        Assert.Equal(_detector.Detect(faces.ThreeFaces), _detector.Detect(bgra));
        Assert.Equal(_detector.Detect(grayAsBgr), _detector.Detect(gray));
    }

    [Fact]
    public void Concurrent_calls_give_the_results_of_sequential_calls()
    {
        var expected = _detector.Detect(faces.ThreeFaces);

        var results = new IReadOnlyList<DetectedFace>[6];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => results[i] = _detector.Detect(faces.ThreeFaces));

        Assert.Equal(Places.Count, expected.Count);
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void Images_without_faces_give_none()
    {
        using var blank = new Mat(300, 400, MatType.CV_8UC3, UtkFaceCrops.Grey);
        using var line = new Mat(1, 640, MatType.CV_8UC1);
        line.SetArray(Enumerable.Range(0, 640).Select(x => (byte)(x * 255 / 640)).ToArray());
        using var gray = new Mat();
        Cv2.Repeat(line, 480, 1, gray);
        using var ramp = new Mat();
        Cv2.CvtColor(gray, ramp, ColorConversionCodes.GRAY2BGR);

        Assert.Empty(_detector.Detect(blank));
        Assert.Empty(_detector.Detect(ramp));
    }

    [Fact]
    public void MaxFaces_keeps_the_largest_and_MinFaceSize_drops_smaller_boxes()
    {
        using var two = new TinyFaceDetector(new TinyFaceDetectorOptions { MaxFaces = 2, ScoreThreshold = 0.5f });
        using var large = new TinyFaceDetector(new TinyFaceDetectorOptions { MinFaceSize = 150 });

        var largestTwo = two.Detect(faces.ThreeFaces);
        var onlyLarge = large.Detect(faces.ThreeFaces);

        // MaxFaces keeps the best scored, then orders them largest first.
        Assert.Equal(2, largestTwo.Count);
        Assert.True(largestTwo[0].Box.Area >= largestTwo[1].Box.Area);
        Assert.All(onlyLarge, f => Assert.True(Math.Max(f.Box.Width, f.Box.Height) >= 150, f.ToString()));
        Assert.True(UtkFaceCrops.CropIoU(onlyLarge[0].Box, Places[0]) >= 0.6);
    }

    [Fact]
    public void Decode_places_each_box_around_its_cell_and_anchor()
    {
        const int Rows = 2;
        const int Columns = 3;
        var plane = Rows * Columns;
        var grid = new float[TinyFaceDetector.Anchors.Count * TinyFaceDetector.FieldsPerAnchor * plane];
        Array.Fill(grid, -10f); // every score sigmoid(-10) ≈ 0
        // Anchor 1 in the cell at row 1, column 2: x, y offsets 0 (sigmoid 0.5), width log 2 (twice the anchor),
        // height 0 (the anchor), score 2 (sigmoid 0.881).
        var cell = (1 * Columns) + 2;
        var fields = 1 * TinyFaceDetector.FieldsPerAnchor * plane;
        grid[fields + cell] = 0;
        grid[fields + plane + cell] = 0;
        grid[fields + (2 * plane) + cell] = MathF.Log(2);
        grid[fields + (3 * plane) + cell] = 0;
        grid[fields + (4 * plane) + cell] = 2;

        var box = Assert.Single(TinyFaceDetector.Decode(grid, Rows, Columns, scoreThreshold: 0.5f));

        var (anchorWidth, anchorHeight) = TinyFaceDetector.Anchors[1];
        Assert.Equal(2 * anchorWidth * 32, box.Width, 3);
        Assert.Equal(anchorHeight * 32, box.Height, 3);
        Assert.Equal(2.5 * 32, box.X + (box.Width / 2), 3);
        Assert.Equal(1.5 * 32, box.Y + (box.Height / 2), 3);
        Assert.Equal(1 / (1 + Math.Exp(-2)), box.Score, 5);
        Assert.Empty(TinyFaceDetector.Decode(grid, Rows, Columns, scoreThreshold: 0.9f));
        Assert.Throws<ArgumentException>(() => TinyFaceDetector.Decode(grid.AsSpan(1), Rows, Columns, 0.5f));
    }

    [Fact]
    public void Suppress_keeps_the_best_of_overlapping_boxes_and_all_separate_ones()
    {
        var boxes = new List<ScoredBox>
        {
            new(0, 0, 100, 100, 0.6f),
            new(10, 10, 100, 100, 0.9f), // IoU 0.68 with the first
            new(300, 0, 50, 50, 0.4f),
            new(0, 60, 100, 100, 0.7f), // IoU 0.29 with the second: below 0.4, kept
        };

        var kept = TinyFaceDetector.Suppress(boxes, iouThreshold: 0.4f);

        Assert.Equal([0.9f, 0.7f, 0.4f], kept.Select(b => b.Score));
    }

    [Fact]
    public void A_missing_model_names_the_path_and_how_to_make_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-tiny-{Guid.NewGuid():N}.onnx");

        var error = Assert.Throws<FileNotFoundException>(() => new TinyFaceDetector(new TinyFaceDetectorOptions { ModelPath = path }));

        Assert.Equal(path, error.FileName);
        Assert.Contains("face2data detector convert", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_tiny_face_detector_gives_InvalidDataException()
    {
        var garbage = Path.Combine(Path.GetTempPath(), $"not-onnx-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(garbage, [1, 2, 3, 4, 5, 6, 7, 8]);
        try
        {
            var notOnnx = Assert.Throws<InvalidDataException>(() => new TinyFaceDetector(new TinyFaceDetectorOptions { ModelPath = garbage }));
            var otherModel = Assert.Throws<InvalidDataException>(() => new TinyFaceDetector(new TinyFaceDetectorOptions { ModelPath = BundledModel.Path }));

            Assert.Contains(garbage, notOnnx.Message);
            Assert.Contains("'grid'", otherModel.Message);
        }
        finally
        {
            File.Delete(garbage);
        }
    }

    [Theory]
    [InlineData(400, 0.3f, 0.4f, 16, 20, 0.2)]
    [InlineData(0, 0.3f, 0.4f, 16, 20, 0.2)]
    [InlineData(4128, 0.3f, 0.4f, 16, 20, 0.2)]
    [InlineData(640, 1.5f, 0.4f, 16, 20, 0.2)]
    [InlineData(640, 0.3f, -0.1f, 16, 20, 0.2)]
    [InlineData(640, 0.3f, 0.4f, 0, 20, 0.2)]
    [InlineData(640, 0.3f, 0.4f, 16, 0, 0.2)]
    [InlineData(640, 0.3f, 0.4f, 16, 20, 1.5)]
    [InlineData(640, 0.3f, 0.4f, 16, 20, 0.2, 100)]
    public void Settings_out_of_range_are_refused(int inputSize, float score, float iou, int minFaceSize, int maxFaces, double pad, int cropInputSize = 224)
    {
        var options = new TinyFaceDetectorOptions
        {
            InputSize = inputSize,
            CropInputSize = cropInputSize,
            ScoreThreshold = score,
            IouThreshold = iou,
            MinFaceSize = minFaceSize,
            MaxFaces = maxFaces,
            PadFraction = pad,
        };

        Assert.Throws<ArgumentOutOfRangeException>(() => new TinyFaceDetector(options));
    }
}
