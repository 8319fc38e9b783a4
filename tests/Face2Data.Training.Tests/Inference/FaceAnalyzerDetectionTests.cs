using Face2Data.Detection;
using Face2Data.Imaging;
using Face2Data.Inference;
using OpenCvSharp;

namespace Face2Data.Training.Tests.Inference;

/// <summary>How <see cref="FaceAnalyzer"/> uses a face detector: every face with its box, crops, and detection modes.</summary>
public sealed class FaceAnalyzerDetectionTests(AnalyzerFixture fixture) : IClassFixture<AnalyzerFixture>
{
    private static readonly Rect[] Places = [new(60, 80, 240, 240), new(420, 150, 160, 160)];

    [Fact]
    public void A_photo_gives_every_face_with_its_box_largest_first()
    {
        using var scene = fixture.Scene(700, 450, Places);
        using var analyzer = fixture.Analyzer(DetectionMode.Auto, fixture.Detector);

        var analysis = analyzer.Analyze(Jpeg(scene));

        Assert.Equal((700, 450), (analysis.Width, analysis.Height));
        Assert.Equal(Places.Length, analysis.Faces.Count);
        for (var i = 0; i < Places.Length; i++)
        {
            var face = analysis.Faces[i];
            Assert.True(face.Detected);
            Assert.NotNull(face.DetectionScore);
            Assert.True(CropIoU(face.Box, Places[i]) >= 0.6, $"face {i}: box {face.Box}, planted {Places[i]}");
            Assert.Equal(["age", "gender", "race"], face.Attributes.Keys);
        }
    }

    [Fact]
    public void A_phone_photo_with_exif_orientation_6_gives_upright_size_and_boxes()
    {
        using var upright = fixture.Scene(700, 450, Places);
        using var stored = new Mat();
        Cv2.Rotate(upright, stored, RotateFlags.Rotate90Counterclockwise);
        using var analyzer = fixture.Analyzer(DetectionMode.Auto, fixture.Detector);

        var analysis = analyzer.Analyze(WithExifOrientation6(Jpeg(stored)));

        Assert.Equal((700, 450), (analysis.Width, analysis.Height));
        Assert.Equal(Places.Length, analysis.Faces.Count);
        for (var i = 0; i < Places.Length; i++)
        {
            Assert.True(CropIoU(analysis.Faces[i].Box, Places[i]) >= 0.6, $"face {i}: box {analysis.Faces[i].Box}, planted {Places[i]}");
        }
    }

    [Fact]
    public void Each_face_is_predicted_from_its_crop_at_full_resolution_with_the_models_geometry()
    {
        using var scene = fixture.Scene(700, 450, Places);
        var boxes = new[] { new FaceBox(70, 60, 220, 220), new FaceBox(430, 130, 140, 140) };
        using var analyzer = fixture.Analyzer(DetectionMode.Always, new FixedFaceDetector(boxes));
        using var cropOnly = fixture.Analyzer(DetectionMode.Never, null);

        var analysis = analyzer.Analyze(scene);

        Assert.Equal(boxes, analysis.Faces.Select(f => f.Box));
        for (var i = 0; i < boxes.Length; i++)
        {
            using var crop = FaceCrop.Extract(scene, boxes[i], CropGeometry.UtkFaceHaar);
            var expected = Assert.Single(cropOnly.Analyze(crop).Faces);
            Assert.Equal(expected.Attributes["age"].Value!.Value, analysis.Faces[i].Attributes["age"].Value!.Value, 4);
            Assert.Equal(expected.Attributes["race"].Probabilities!["asian"], analysis.Faces[i].Attributes["race"].Probabilities!["asian"], 5);
        }

        Assert.NotEqual(analysis.Faces[0].Attributes["race"].Probabilities!["asian"], analysis.Faces[1].Attributes["race"].Probabilities!["asian"]);
    }

    [Fact]
    public void Never_skips_the_detector_and_analyses_the_whole_image()
    {
        var detector = new FixedFaceDetector(new FaceBox(10, 10, 50, 50));
        using var analyzer = fixture.Analyzer(DetectionMode.Never, detector);
        using var image = new Mat(120, 160, MatType.CV_8UC3, Scalar.All(90));

        var face = Assert.Single(analyzer.Analyze(image).Faces);

        Assert.Equal(0, detector.Calls);
        Assert.False(face.Detected);
        Assert.Null(face.DetectionScore);
        Assert.Equal(new FaceBox(0, 0, 160, 120), face.Box);
    }

    [Fact]
    public void Auto_analyses_a_small_square_image_without_a_detected_face_as_one_crop()
    {
        var detector = new FixedFaceDetector();
        using var analyzer = fixture.Analyzer(DetectionMode.Auto, detector);
        using var image = new Mat(200, 190, MatType.CV_8UC3, Scalar.All(90));

        var face = Assert.Single(analyzer.Analyze(image).Faces);

        Assert.Equal(1, detector.Calls);
        Assert.False(face.Detected);
        Assert.Equal(new FaceBox(0, 0, 190, 200), face.Box);
    }

    [Theory]
    [InlineData(DetectionMode.Always, 200, 200)]
    [InlineData(DetectionMode.Auto, 1200, 900)]
    [InlineData(DetectionMode.Auto, 400, 200)]
    public void No_face_is_reported_when_none_is_found_in_a_photo_or_in_always_mode(DetectionMode mode, int width, int height)
    {
        using var analyzer = fixture.Analyzer(mode, new FixedFaceDetector());
        using var image = new Mat(height, width, MatType.CV_8UC3, Scalar.All(90));

        Assert.Empty(analyzer.Analyze(image).Faces);
    }

    [Fact]
    public void A_tight_utkface_crop_in_auto_mode_gives_one_detected_face_inside_it()
    {
        // The detector pads tight crops, so it finds UTKFace's faces itself (97.8% of them, measured); the crop
        // the model then sees overlaps the whole image by IoU ≥ 0.7 in 97% of them.
        var crop = fixture.Crops.First(c => fixture.Detector.Detect(c).Count == 1);
        using var analyzer = fixture.Analyzer(DetectionMode.Auto, fixture.Detector);

        var face = Assert.Single(analyzer.Analyze(Jpeg(crop)).Faces);

        Assert.True(face.Detected);
        Assert.True(face.Box.X >= 0 && face.Box.Y >= 0 && face.Box.X + face.Box.Width <= 200 && face.Box.Y + face.Box.Height <= 200);
        Assert.True(CropIoU(face.Box, new Rect(0, 0, 200, 200)) >= 0.7);
    }

    [Fact]
    public void MaxFaces_keeps_the_largest_faces()
    {
        var boxes = new[] { new FaceBox(0, 0, 20, 20), new FaceBox(30, 0, 40, 40), new FaceBox(80, 0, 30, 30) };
        using var analyzer = fixture.Analyzer(DetectionMode.Always, new FixedFaceDetector(boxes), maxFaces: 2);
        using var image = new Mat(100, 200, MatType.CV_8UC3, Scalar.All(90));

        var faces = analyzer.Analyze(image).Faces;

        Assert.Equal([boxes[1], boxes[2]], faces.Select(f => f.Box));
    }

    [Fact]
    public void Annotating_an_analysis_draws_on_a_copy_of_the_analysed_image()
    {
        using var scene = fixture.Scene(700, 450, Places);
        using var analyzer = fixture.Analyzer(DetectionMode.Auto, fixture.Detector);
        var analysis = analyzer.Analyze(scene);

        using var annotated = FaceAnnotator.Annotate(scene, analysis);

        var box = analysis.Faces[0].Box;
        Assert.Equal(new Vec3b(60, 200, 60), annotated.At<Vec3b>(box.Y + (box.Height / 2), box.X));
        Assert.NotEqual(new Vec3b(60, 200, 60), scene.At<Vec3b>(box.Y + (box.Height / 2), box.X));
        Assert.Matches(@"^\d+(\.\d+)? y, (male|female) \d+%, (white|black|asian|indian|others) \d+%$", FaceAnnotator.Label(analysis.Faces[0]));
    }

    private static byte[] Jpeg(Mat image)
    {
        Cv2.ImEncode(".jpg", image, out var bytes, new ImageEncodingParam(ImwriteFlags.JpegQuality, 95));
        return bytes;
    }

    // Inserts an EXIF segment whose only tag is Orientation = 6 ("rotate 90° clockwise to show") after SOI.
    private static byte[] WithExifOrientation6(byte[] jpeg)
    {
        byte[] payload = [.. "Exif\0\0"u8, (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0];
        var length = payload.Length + 2;
        return [.. jpeg.AsSpan(0, 2), 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload, .. jpeg.AsSpan(2)];
    }

    // IoU of the crop the model's geometry makes from a box with the square where a crop was pasted.
    private static double CropIoU(FaceBox box, Rect planted)
    {
        var region = FaceCrop.Region(box, CropGeometry.UtkFaceHaar);
        return new FaceBox(region.X, region.Y, region.Width, region.Height).IntersectionOverUnion(new FaceBox(planted.X, planted.Y, planted.Width, planted.Height));
    }
}
