using Face2Data.Detection;
using Face2Data.Imaging;
using Face2Data.Inference;
using Face2Data.Tests.Imaging;
using OpenCvSharp;

namespace Face2Data.Tests.Detection;

public sealed class HaarFaceDetectorTests(UtkFaceCrops faces) : IClassFixture<UtkFaceCrops>
{
    private static readonly IReadOnlyList<Rect> Places = UtkFaceCrops.ThreeFacePlaces;

    [Fact]
    public void Detect_finds_the_planted_faces_largest_first_framed_like_the_crops()
    {
        var scene = faces.ThreeFaces;

        var found = faces.Detector.Detect(scene);

        Assert.Equal(Places.Count, found.Count);
        for (var i = 0; i < Places.Count; i++)
        {
            Assert.True(CropIoU(found[i].Box, Places[i]) >= 0.6, $"face {i}: box {found[i].Box}, planted {Places[i]}, IoU {CropIoU(found[i].Box, Places[i]):0.00}");
            Assert.True(found[i].Score > HaarFaceDetectorOptions.Default.MinNeighbors);
        }
    }

    [Fact]
    public void Padding_lets_the_cascade_find_faces_in_tight_crops()
    {
        using var unpadded = new HaarFaceDetector(new HaarFaceDetectorOptions { PadFraction = 0 });

        var crops = faces.Crops;

        var withPadding = crops.Count(c => faces.Detector.Detect(c).Count >= 1);
        var withoutPadding = crops.Count(c => unpadded.Detect(c).Count >= 1);

        // Measured on 500 random crops: 97.8% found with a 0.2 border, 68% without.
        Assert.True(withPadding >= crops.Count * 0.8, $"found {withPadding} of {crops.Count} padded crops");
        Assert.True(withoutPadding <= withPadding - 4, $"found {withoutPadding} unpadded vs {withPadding} padded");
    }

    [Fact]
    public void The_border_is_added_only_to_near_square_images()
    {
        using var squareOnly = new HaarFaceDetector(new HaarFaceDetectorOptions { PadMaxAspect = 1.25 });
        using var any = new HaarFaceDetector(new HaarFaceDetectorOptions { PadMaxAspect = double.PositiveInfinity });
        var stretched = faces.Crops.Select(c =>
        {
            var wide = new Mat();
            Cv2.Resize(c, wide, new Size(260, 200), interpolation: InterpolationFlags.Area);
            return wide;
        }).ToList();

        try
        {
            var padded = stretched.Count(c => any.Detect(c).Count >= 1);
            var unpadded = stretched.Count(c => squareOnly.Detect(c).Count >= 1);

            // 260×200 is wider than 1.25:1, so squareOnly scans these tight crops without a border and misses many.
            Assert.True(unpadded <= padded - 4, $"found {unpadded} without a border vs {padded} with one");
        }
        finally
        {
            stretched.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public void A_small_first_scan_finds_tight_crops_framed_like_the_full_scan()
    {
        using var fullScan = new HaarFaceDetector(new HaarFaceDetectorOptions { CropScanSide = null });
        using var smallFirst = new HaarFaceDetector(new HaarFaceDetectorOptions { CropScanSide = 56 });
        var whole = new Rect(0, 0, 200, 200);

        var full = faces.Crops.Select(c => fullScan.Detect(c)).ToList();
        var small = faces.Crops.Select(c => smallFirst.Detect(c)).ToList();

        // Measured on 500 crops (face2data-bench crop-geometry): as many found, framed at least as well.
        Assert.True(small.Count(f => f.Count >= 1) >= full.Count(f => f.Count >= 1) - 1);
        Assert.True(
            small.Count(f => f.Count >= 1 && CropIoU(f[0].Box, whole) >= 0.7) >= full.Count(f => f.Count >= 1 && CropIoU(f[0].Box, whole) >= 0.7) - 1,
            "fewer crops framed with IoU ≥ 0.7 by the small scan");
    }

    [Fact]
    public void A_crop_like_image_whose_small_scan_finds_nothing_is_scanned_at_full_size()
    {
        // 480×480 looks like a crop, but its faces are too small for the 56-pixel first scan (about 7 px there).
        using var scene = faces.Scene(480, 480, UtkFaceCrops.Grey, [new(40, 40, 90, 90), new(300, 200, 100, 100)]);
        using var smallFirst = new HaarFaceDetector(new HaarFaceDetectorOptions { CropScanSide = 56 });
        using var fullScan = new HaarFaceDetector(new HaarFaceDetectorOptions { CropScanSide = null });

        var expected = fullScan.Detect(scene);
        var found = smallFirst.Detect(scene);

        Assert.Equal(2, expected.Count);
        Assert.Equal(expected, found);
    }

    [Fact]
    public void A_face_in_a_tight_crop_is_inside_the_crop_and_frames_it()
    {
        var crop = faces.Crops.First(c => faces.Detector.Detect(c).Count == 1);

        var face = Assert.Single(faces.Detector.Detect(crop));

        Assert.True(face.Box.X >= 0 && face.Box.Y >= 0 && face.Box.X + face.Box.Width <= crop.Width && face.Box.Y + face.Box.Height <= crop.Height);
        Assert.True(CropIoU(face.Box, new Rect(0, 0, crop.Width, crop.Height)) >= 0.7);
    }

    [Fact]
    public void Large_images_are_scanned_at_reduced_resolution_and_boxes_come_back_in_full_resolution()
    {
        // 2700×1500 is scanned at 960×533, a little above the 900×500 the faces were checked at.
        using var large = new Mat();
        Cv2.Resize(faces.ThreeFaces, large, new Size(2700, 1500), interpolation: InterpolationFlags.Linear);

        var found = faces.Detector.Detect(large);

        Assert.Equal(Places.Count, found.Count);
        for (var i = 0; i < Places.Count; i++)
        {
            var planted = new Rect(Places[i].X * 3, Places[i].Y * 3, Places[i].Width * 3, Places[i].Height * 3);
            Assert.True(CropIoU(found[i].Box, planted) >= 0.6, $"face {i}: box {found[i].Box}, planted {planted}");
        }
    }

    [Fact]
    public void Exif_orientation_6_gives_boxes_in_upright_coordinates()
    {
        var upright = faces.ThreeFaces;
        using var stored = new Mat();
        // A phone held upright stores the picture turned 90° counter-clockwise and tags it "rotate 90° clockwise".
        Cv2.Rotate(upright, stored, RotateFlags.Rotate90Counterclockwise);
        var jpeg = TestImages.WithExifOrientation(TestImages.Encode(stored, ".jpg", new ImageEncodingParam(ImwriteFlags.JpegQuality, 95)), ExifOrientation.Rotate90);

        using var decoded = new ImageDecoder().Decode(jpeg);
        var found = faces.Detector.Detect(decoded);

        Assert.Equal(new Size(900, 500), decoded.Size());
        Assert.Equal(Places.Count, found.Count);
        for (var i = 0; i < Places.Count; i++)
        {
            Assert.True(CropIoU(found[i].Box, Places[i]) >= 0.6, $"face {i}: box {found[i].Box}, planted {Places[i]}");
        }
    }

    [Fact]
    public void MaxFaces_keeps_the_largest_and_MinFaceSize_scans_only_larger_windows()
    {
        var scene = faces.ThreeFaces;
        using var two = new HaarFaceDetector(new HaarFaceDetectorOptions { MaxFaces = 2 });
        using var large = new HaarFaceDetector(new HaarFaceDetectorOptions { MinFaceSize = 150 });

        var largestTwo = two.Detect(scene);
        var onlyLarge = large.Detect(scene);

        Assert.Equal(2, largestTwo.Count);
        Assert.True(CropIoU(largestTwo[0].Box, Places[0]) >= 0.6 && CropIoU(largestTwo[1].Box, Places[1]) >= 0.6);
        // Windows under 150 pixels are not scanned, so no box is smaller; a smaller face may still be reported
        // in a larger box, as windows somewhat larger than a face also pass the cascade.
        Assert.All(onlyLarge, f => Assert.True(f.Box.Width >= 150, f.ToString()));
        Assert.True(CropIoU(onlyLarge[0].Box, Places[0]) >= 0.6 && CropIoU(onlyLarge[1].Box, Places[1]) >= 0.6);
    }

    [Fact]
    public void Gray_and_bgra_images_give_the_boxes_of_the_bgr_image()
    {
        var scene = faces.ThreeFaces;
        using var gray = new Mat();
        using var bgra = new Mat();
        Cv2.CvtColor(scene, gray, ColorConversionCodes.BGR2GRAY);
        Cv2.CvtColor(scene, bgra, ColorConversionCodes.BGR2BGRA);

        var expected = faces.Detector.Detect(scene);

        Assert.Equal(expected, faces.Detector.Detect(gray));
        Assert.Equal(expected, faces.Detector.Detect(bgra));
    }

    [Fact]
    public void Concurrent_calls_give_the_results_of_sequential_calls()
    {
        using var scene = new Mat(faces.ThreeFaces, new Rect(300, 60, 300, 300));
        using var detector = new HaarFaceDetector();
        var expected = detector.Detect(scene);

        var results = new IReadOnlyList<DetectedFace>[6];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => results[i] = detector.Detect(scene));

        Assert.Single(expected);
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void An_image_without_faces_gives_none()
    {
        using var blank = new Mat(300, 400, MatType.CV_8UC3, UtkFaceCrops.Grey);

        Assert.Empty(faces.Detector.Detect(blank));
    }

    [Fact]
    public void A_missing_cascade_names_the_path_and_the_opencv_data_package()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-cascade-{Guid.NewGuid():N}.xml");

        var error = Assert.Throws<FileNotFoundException>(() => new HaarFaceDetector(new HaarFaceDetectorOptions { CascadePath = path }));

        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message);
        Assert.Contains("opencv-data", error.Message);
    }

    [Fact]
    public void The_default_cascade_is_found_in_the_search_folders()
    {
        var found = HaarFaceDetector.FindDefaultCascade();

        Assert.NotNull(found);
        Assert.Contains(Path.GetDirectoryName(found), HaarFaceDetector.SearchFolders);
        Assert.Equal(found, faces.Detector.CascadePath);
    }

    [Fact]
    public void A_file_that_is_not_a_cascade_gives_InvalidDataException()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-a-cascade-{Guid.NewGuid():N}.xml");
        File.WriteAllText(path, "<?xml version=\"1.0\"?><opencv_storage><nothing>1</nothing></opencv_storage>");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => new HaarFaceDetector(new HaarFaceDetectorOptions { CascadePath = path }));

            Assert.Contains(path, error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(1.0, 5, 24, 20, 960, 0.2)]
    [InlineData(1.1, -1, 24, 20, 960, 0.2)]
    [InlineData(1.1, 5, 0, 20, 960, 0.2)]
    [InlineData(1.1, 5, 24, 0, 960, 0.2)]
    [InlineData(1.1, 5, 24, 20, 16, 0.2)]
    [InlineData(1.1, 5, 24, 20, 960, 1.5)]
    public void Settings_out_of_range_are_refused(double scaleFactor, int minNeighbors, int minFaceSize, int maxFaces, int maxSide, double pad)
    {
        var options = new HaarFaceDetectorOptions
        {
            ScaleFactor = scaleFactor,
            MinNeighbors = minNeighbors,
            MinFaceSize = minFaceSize,
            MaxFaces = maxFaces,
            DetectionMaxSide = maxSide,
            PadFraction = pad,
        };

        Assert.Throws<ArgumentOutOfRangeException>(() => new HaarFaceDetector(options));
    }

    [Fact]
    public void Empty_and_16_bit_images_are_refused_and_a_disposed_detector_throws()
    {
        using var detector = new HaarFaceDetector();
        using var empty = new Mat();
        using var deep = new Mat(20, 20, MatType.CV_16UC3);
        using var image = new Mat(20, 20, MatType.CV_8UC3);

        Assert.Throws<ArgumentException>(() => detector.Detect(empty));
        Assert.Throws<ArgumentException>(() => detector.Detect(deep));
        detector.Dispose();
        Assert.Throws<ObjectDisposedException>(() => detector.Detect(image));
    }

    // IoU of the crop the UTKFace geometry makes from a box with the square where a crop was pasted.
    private static double CropIoU(FaceBox box, Rect planted) => UtkFaceCrops.CropIoU(box, planted);
}
