using Face2Data.Detection;

namespace Face2Data.Tests.Detection;

public sealed class FaceDetectorsTests
{
    [Theory]
    [InlineData("haar")]
    [InlineData(" HAAR ")]
    public void Haar_makes_a_Haar_detector_with_the_given_settings(string name)
    {
        using var detector = FaceDetectors.Create(name, new HaarFaceDetectorOptions { MinNeighbors = 3 });

        var haar = Assert.IsType<HaarFaceDetector>(detector);
        Assert.Equal(3, haar.Options.MinNeighbors);
    }

    [Fact]
    public void Tiny_makes_a_Tiny_Face_Detector_with_the_bundled_model_or_the_given_settings()
    {
        using var bundled = FaceDetectors.Create("tiny");
        using var small = FaceDetectors.Create("Tiny", tiny: new TinyFaceDetectorOptions { InputSize = 320 });

        Assert.Equal(Path.GetFullPath(TinyFaceDetectorOptions.BundledPath), Assert.IsType<TinyFaceDetector>(bundled).ModelPath);
        Assert.Equal(320, Assert.IsType<TinyFaceDetector>(small).Options.InputSize);
    }

    [Fact]
    public void None_makes_no_detector()
    {
        Assert.Null(FaceDetectors.Create("none"));
    }

    [Fact]
    public void Yunet_without_a_model_file_is_refused_with_the_file_it_needs()
    {
        var error = Assert.Throws<ArgumentException>(() => FaceDetectors.Create("yunet"));

        Assert.Contains("face_detection_yunet_2023mar.onnx", error.Message);
    }

    [Fact]
    public void Yunet_with_a_missing_model_file_names_the_file_and_where_to_get_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-yunet-{Guid.NewGuid():N}.onnx");

        var error = Assert.Throws<FileNotFoundException>(() => FaceDetectors.Create("yunet", yunetModelPath: path));

        Assert.Equal(path, error.FileName);
        Assert.Contains("opencv_zoo", error.Message);
    }

    [Fact]
    public void Yunet_with_a_file_that_is_not_a_model_gives_InvalidDataException()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-yunet-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5, 6, 7, 8]);
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => new YuNetFaceDetector(new YuNetFaceDetectorOptions { ModelPath = path }));

            Assert.Contains(path, error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(100, 0.9f, 0.2)]
    [InlineData(640, 1.5f, 0.2)]
    [InlineData(640, 0.9f, -0.1)]
    public void Yunet_settings_out_of_range_are_refused(int inputSize, float score, double pad)
    {
        var options = new YuNetFaceDetectorOptions { ModelPath = "model.onnx", InputSize = inputSize, ScoreThreshold = score, PadFraction = pad };

        Assert.Throws<ArgumentOutOfRangeException>(() => new YuNetFaceDetector(options));
    }

    [Fact]
    public void An_unknown_name_lists_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => FaceDetectors.Create("mtcnn"));

        Assert.Contains("haar, tiny, blazeface, ssd, yunet, none", error.Message);
    }
}
