using Face2Data.Detection;
using OpenCvSharp;

namespace Face2Data.Tests.Detection;

/// <summary>
/// The bundled SSD MobileNet v1 (models/ssd_mobilenetv1.onnx) on real portraits (../shared/datasets/london-faces) and
/// UTKFace faces, its tiling and its settings.
/// </summary>
public sealed class SsdFaceDetectorTests(UtkFaceCrops faces) : IClassFixture<UtkFaceCrops>, IDisposable
{
    private readonly SsdFaceDetector _detector = new(new SsdFaceDetectorOptions());

    public void Dispose() => _detector.Dispose();

    [Fact]
    public void The_bundled_model_is_used_by_default_and_by_name()
    {
        using var named = FaceDetectors.Create("SSD", ssd: new SsdFaceDetectorOptions { ScoreThreshold = 0.7f });

        Assert.Equal(Path.GetFullPath(SsdFaceDetectorOptions.BundledPath), _detector.ModelPath);
        Assert.True(File.Exists(_detector.ModelPath));
        Assert.Equal(SsdFaceDetector.InputSize, _detector.Side);
        Assert.Equal(0.7f, Assert.IsType<SsdFaceDetector>(named).Options.ScoreThreshold);
        Assert.Contains(FaceDetectors.Ssd, FaceDetectors.Names);
    }

    [Theory]
    [InlineData("001_neutral.jpg")]
    [InlineData("017_smiling.jpg")]
    [InlineData("102_neutral.jpg")]
    public void Detect_finds_the_one_face_of_a_real_portrait(string file)
    {
        using var photo = Cv2.ImRead(Path.Combine(TestPaths.LondonFaceImages, file));
        Assert.False(photo.Empty(), $"{file} is missing from {TestPaths.LondonFaceImages}");

        var found = _detector.Detect(photo);

        // A frontal portrait: one face, high in the frame's middle, about a third of its width.
        var face = Assert.Single(found);
        Assert.InRange(face.Score, 0.9f, 1f);
        Assert.Null(face.Landmarks);
        var (centreX, centreY) = (face.Box.X + (face.Box.Width / 2.0), face.Box.Y + (face.Box.Height / 2.0));
        Assert.InRange(centreX / photo.Width, 0.3, 0.7);
        Assert.InRange(centreY / photo.Height, 0.2, 0.7);
        Assert.InRange(face.Box.Width / (double)photo.Width, 0.15, 0.7);
    }

    [Fact]
    public void Detect_finds_the_planted_faces_largest_first()
    {
        var found = _detector.Detect(faces.ThreeFaces);

        Assert.Equal(UtkFaceCrops.ThreeFacePlaces.Count, found.Count);
        for (var i = 0; i < found.Count; i++)
        {
            var place = UtkFaceCrops.ThreeFacePlaces[i];
            var centre = new Point(found[i].Box.X + (found[i].Box.Width / 2), found[i].Box.Y + (found[i].Box.Height / 2));
            Assert.True(place.Contains(centre), $"face {i}: box {found[i].Box}, planted {place}");
        }
    }

    [Fact]
    public void Tiling_finds_a_small_face_that_the_whole_image_run_misses()
    {
        // One portrait's face, 40 pixels wide, in a 2048×1536 grey photo: 10 pixels once the whole photo is 512 wide.
        using var portrait = Cv2.ImRead(Path.Combine(TestPaths.LondonFaceImages, "001_neutral.jpg"));
        using var photo = new Mat(1536, 2048, MatType.CV_8UC3, UtkFaceCrops.Grey);
        var place = new Rect(1200, 700, 120, 120 * portrait.Height / portrait.Width);
        using (var small = portrait.Resize(place.Size, interpolation: InterpolationFlags.Area))
        using (var target = new Mat(photo, place))
        {
            small.CopyTo(target);
        }

        using var tiled = new SsdFaceDetector(new SsdFaceDetectorOptions { TileSide = 2048 });

        var whole = _detector.Detect(photo);
        var found = tiled.Detect(photo);

        Assert.Empty(whole);
        var face = Assert.Single(found);
        Assert.True(place.Contains(new Point(face.Box.X + (face.Box.Width / 2), face.Box.Y + (face.Box.Height / 2))), $"box {face.Box}, portrait at {place}");
    }

    [Theory]
    [InlineData(512, 512, 128, new[] { 0 })]
    [InlineData(300, 512, 128, new[] { 0 })]
    [InlineData(700, 512, 128, new[] { 0, 188 })]
    [InlineData(1024, 512, 128, new[] { 0, 256, 512 })]
    [InlineData(1024, 512, 0, new[] { 0, 512 })]
    public void TileOrigins_cover_the_side_and_overlap_by_at_least_the_overlap(int length, int tile, int overlap, int[] expected)
    {
        Assert.Equal(expected, SsdFaceDetector.TileOrigins(length, tile, overlap));
    }

    [Fact]
    public void Settings_out_of_range_are_refused_and_a_missing_model_names_its_path()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SsdFaceDetector(new SsdFaceDetectorOptions { TileSide = 512 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SsdFaceDetector(new SsdFaceDetectorOptions { TileOverlap = 300 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SsdFaceDetector(new SsdFaceDetectorOptions { ScoreThreshold = 1.5f }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SsdFaceDetector(new SsdFaceDetectorOptions { Framing = new CropGeometry { Scale = 0 } }));
        var missing = Assert.Throws<FileNotFoundException>(() => new SsdFaceDetector(new SsdFaceDetectorOptions { ModelPath = "/nonexistent/ssd.onnx" }));
        Assert.Contains("/nonexistent/ssd.onnx", missing.Message);
    }
}
