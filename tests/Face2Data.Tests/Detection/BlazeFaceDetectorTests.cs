using Face2Data.Detection;
using OpenCvSharp;

namespace Face2Data.Tests.Detection;

/// <summary>
/// The bundled BlazeFace models (models/blazeface_*.onnx, converted from MediaPipe's TensorFlow.js graphs) on UTKFace
/// faces and real photos, and MediaPipe's anchors, decoding, blending and the tiling.
/// </summary>
public sealed class BlazeFaceDetectorTests(UtkFaceCrops faces) : IClassFixture<UtkFaceCrops>, IDisposable
{
    private static readonly IReadOnlyList<Rect> Places = UtkFaceCrops.ThreeFacePlaces;
    private readonly BlazeFaceDetector _detector = new(new BlazeFaceDetectorOptions());

    public void Dispose() => _detector.Dispose();

    [Theory]
    [InlineData(128, 896, 512)]
    [InlineData(192, 2304, 2304)]
    [InlineData(256, 896, 512)]
    public void Anchors_follow_MediaPipes_ssd_options(int inputSize, int count, int firstLayer)
    {
        var anchors = BlazeFaceAnchors.ForInputSize(inputSize);

        Assert.Equal(count, anchors.Count);
        var cells = inputSize == 192 ? 48 : 16;
        Assert.Equal(0.5f / cells, anchors[0].X, 6);
        Assert.Equal(0.5f / cells, anchors[0].Y, 6);
        Assert.Equal((cells - 0.5f) / cells, anchors[firstLayer - 1].X, 6);
        if (firstLayer < count)
        {
            // The second feature map (8×8, six anchors per cell) starts again at the top left.
            Assert.Equal(0.5f / 8, anchors[firstLayer].X, 6);
            Assert.Equal(anchors[firstLayer], anchors[firstLayer + 5]);
            Assert.NotEqual(anchors[firstLayer], anchors[firstLayer + 6]);
        }
    }

    [Fact]
    public void Decode_adds_offsets_to_the_anchor_centre_in_input_pixels_and_clips_the_logit()
    {
        (float X, float Y)[] anchors = [(0.5f, 0.5f), (0.25f, 0.75f)];
        float[] scores = [0f, 1000f];
        var coordinates = new float[2 * BlazeFaceDetector.CoordinatesPerAnchor];
        float[] first = [10, -5, 40, 30, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        first.CopyTo(coordinates, 0);

        var boxes = BlazeFaceDetector.Decode(scores, coordinates, anchors, 128, scoreThreshold: 0.4f);

        Assert.Equal(2, boxes.Count);
        Assert.Equal(new ScoredBox(54, 44, 40, 30, 0.5f), boxes[0].Box);
        Assert.Equal(new FacePoint(65, 66), boxes[0].Points[0]);
        Assert.Equal(new FacePoint(75, 76), boxes[0].Points[5]);
        Assert.Equal((float)(1 / (1 + Math.Exp(-100))), boxes[1].Box.Score);
        Assert.Equal(new ScoredBox(32, 96, 0, 0, boxes[1].Box.Score), boxes[1].Box);
        Assert.Single(BlazeFaceDetector.Decode(scores, coordinates, anchors, 128, scoreThreshold: 0.6f));
    }

    [Fact]
    public void Weighted_suppression_blends_overlapping_boxes_by_score_and_keeps_the_best_score()
    {
        KeypointBox[] candidates =
        [
            new(new ScoredBox(0, 0, 10, 10, 0.3f), [new FacePoint(4, 4)]),
            new(new ScoredBox(1, 1, 10, 10, 0.9f), [new FacePoint(8, 8)]),
            new(new ScoredBox(50, 50, 10, 10, 0.5f), [new FacePoint(55, 55)]),
        ];

        var kept = WeightedSuppression.Blend(candidates, 0.3f);

        Assert.Equal(2, kept.Count);
        // Corners: (0.3 · 0 + 0.9 · 1) / 1.2 = 0.75; (0.3 · 10 + 0.9 · 11) / 1.2 = 10.75.
        Assert.Equal(0.75f, kept[0].Box.X, 5);
        Assert.Equal(10f, kept[0].Box.Width, 5);
        Assert.Equal(0.9f, kept[0].Box.Score);
        Assert.Equal(7f, kept[0].Points[0].X, 5);
        Assert.Equal(candidates[2], kept[1]);
    }

    [Fact]
    public void Tiles_overlap_and_cover_the_image()
    {
        var tiles = BlazeFaceDetector.Tiles(1000, 600, 400, 0.25);

        Assert.Equal(6, tiles.Count);
        Assert.All(tiles, t => Assert.Equal(new Size(400, 400), t.Size));
        Assert.Equal(1000, tiles.Max(t => t.Right));
        Assert.Equal(600, tiles.Max(t => t.Bottom));
        Assert.Equal([0, 300, 600], tiles.Select(t => t.X).Distinct().Order());
        Assert.Equal([new Rect(0, 0, 300, 200)], BlazeFaceDetector.Tiles(300, 200, 400, 0.25));
    }

    [Fact]
    public void The_bundled_back_camera_model_is_used_by_default_and_by_name()
    {
        Assert.Equal(Path.GetFullPath(BlazeFaceDetectorOptions.BundledPath), _detector.ModelPath);
        Assert.Equal(256, _detector.InputSize);
        Assert.Equal(0.65f, _detector.ScoreThreshold);
        using var named = FaceDetectors.Create("blazeface");
        Assert.IsType<BlazeFaceDetector>(named);
    }

    [Theory]
    [InlineData("blazeface_full_range.onnx")]
    [InlineData("blazeface_back.onnx")]
    public void The_full_range_and_back_models_find_the_planted_faces_largest_first(string file)
    {
        // At MediaPipe's short-range threshold 0.5: the full-range model scores one planted face between 0.5 and 0.6.
        using var detector = new BlazeFaceDetector(new BlazeFaceDetectorOptions { ModelPath = BlazeFaceDetectorOptions.Bundled(file), ScoreThreshold = 0.5f });

        var found = detector.DetectWithKeypoints(faces.ThreeFaces);

        Assert.Equal(Places.Count, found.Count);
        for (var i = 0; i < Places.Count; i++)
        {
            var (box, points) = (found[i].Face.Box, found[i].Keypoints);
            var centre = new Point(box.X + (box.Width / 2), box.Y + (box.Height / 2));
            Assert.True(Places[i].Contains(centre) && box.Width >= Places[i].Width / 3 && box.Width <= Places[i].Width * 1.1, $"{file} face {i}: box {box}, planted {Places[i]}");
            Assert.InRange(found[i].Face.Score, 0.5f, 1f);
            // The subject's right eye is on the image's left, both above the mouth centre.
            Assert.True(points[0].X < points[1].X && points[0].Y < points[3].Y && points[1].Y < points[3].Y, $"{file} face {i}: keypoints {string.Join(", ", points)}");
        }
    }

    [Fact]
    public void Tight_crops_are_padded_and_their_face_found_framed_like_the_crop()
    {
        var whole = new Rect(0, 0, 200, 200);

        // The crop cut from the Haar-framed box (CropGeometry.UtkFaceHaar) should be about the UTKFace crop itself.
        var found = faces.Crops.Select(c => _detector.Detect(c)).ToList();
        var framed = found.Count(f => f is [var face] && UtkFaceCrops.CropIoU(face.Box, whole) >= 0.7);

        Assert.True(found.Count(f => f.Count == 1) >= faces.Crops.Count * 0.9, $"{found.Count(f => f.Count == 1)} of {faces.Crops.Count} crops with one face");
        Assert.True(framed >= faces.Crops.Count * 0.75, $"{framed} of {faces.Crops.Count} crops framed with IoU ≥ 0.7");
    }

    [Fact]
    public void The_short_range_model_finds_the_face_of_close_up_crops()
    {
        using var detector = new BlazeFaceDetector(new BlazeFaceDetectorOptions { ModelPath = BlazeFaceDetectorOptions.Bundled("blazeface_short_range.onnx") });
        var whole = new Rect(0, 0, 200, 200);

        var found = faces.Crops.Take(20).Count(c => detector.Detect(c) is [var face] && whole.Contains(new Point(face.Box.X + (face.Box.Width / 2), face.Box.Y + (face.Box.Height / 2))));

        Assert.True(found >= 16, $"{found} of 20 crops");
    }

    [Fact]
    public void Tiling_finds_a_small_face_the_whole_image_run_misses()
    {
        using var scene = faces.Scene(1600, 1200, UtkFaceCrops.Grey, [new Rect(900, 700, 40, 40)]);
        using var tiled = new BlazeFaceDetector(new BlazeFaceDetectorOptions { TileSize = 256 });
        using var whole = new BlazeFaceDetector(new BlazeFaceDetectorOptions { TileSize = null });
        using var full = new BlazeFaceDetector(new BlazeFaceDetectorOptions { ModelPath = BlazeFaceDetectorOptions.Bundled("blazeface_full_range.onnx"), TileSize = null });

        Assert.Empty(whole.Detect(scene));
        Assert.Empty(full.Detect(scene));
        var all = tiled.Detect(scene);
        Assert.True(all.Count == 1, string.Join("; ", all));
        var found = all[0];
        Assert.True(new Rect(900, 700, 40, 40).Contains(new Point(found.Box.X + (found.Box.Width / 2), found.Box.Y + (found.Box.Height / 2))), $"box {found.Box}");
    }

    [Fact]
    public void A_photo_larger_than_the_scan_side_is_scanned_scaled_down_and_its_faces_reported_in_its_own_pixels()
    {
        using var large = faces.Scene(2560, 1440, UtkFaceCrops.Grey, [new Rect(1200, 400, 320, 320), new Rect(300, 700, 200, 200)]);
        using var half = new Mat();
        Cv2.Resize(large, half, new Size(1280, 720), 0, 0, InterpolationFlags.Area);

        var fromLarge = _detector.Detect(large);
        var fromHalf = _detector.Detect(half);

        Assert.Equal(1280, _detector.ScanSide);
        Assert.Equal(2, fromLarge.Count);
        Assert.Equal(fromHalf.Count, fromLarge.Count);
        for (var i = 0; i < fromLarge.Count; i++)
        {
            Assert.InRange(fromLarge[i].Box.X, (fromHalf[i].Box.X * 2) - 2, (fromHalf[i].Box.X * 2) + 2);
            Assert.InRange(fromLarge[i].Box.Width, (fromHalf[i].Box.Width * 2) - 2, (fromHalf[i].Box.Width * 2) + 2);
            Assert.Equal(fromHalf[i].Score, fromLarge[i].Score);
        }
    }

    [Fact]
    public void One_face_is_found_in_each_of_ten_London_face_photos()
    {
        var folder = Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "datasets", "london-faces", "images");
        var photos = Directory.EnumerateFiles(folder, "*.jpg").Order(StringComparer.Ordinal).Take(10).ToList();
        Assert.Equal(10, photos.Count);

        foreach (var photo in photos)
        {
            using var image = Cv2.ImRead(photo);
            var found = _detector.Detect(image);
            var face = Assert.Single(found);
            Assert.True(face.Box.Width >= image.Width / 8, $"{Path.GetFileName(photo)}: box {face.Box} in {image.Width}×{image.Height}");
        }
    }

    [Fact]
    public void A_model_that_is_not_a_converted_BlazeFace_is_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => new BlazeFaceDetector(new BlazeFaceDetectorOptions { ModelPath = TinyFaceDetectorOptions.BundledPath }));

        Assert.Contains("BlazeFace", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlazeFaceDetector(new BlazeFaceDetectorOptions { TileSize = 8 }));
    }
}
