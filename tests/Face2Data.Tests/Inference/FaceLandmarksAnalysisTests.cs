using Face2Data.Detection;
using Face2Data.Inference;
using OpenCvSharp;

namespace Face2Data.Tests.Inference;

/// <summary>Landmarks through <see cref="FaceAnalyzer"/>: located, scaled back to full resolution, and used to align the crops.</summary>
public sealed class FaceLandmarksAnalysisTests
{
    private static readonly Rect Large = new(400, 304, 320, 320);

    [Fact]
    public void Landmarks_located_on_a_reduced_decode_come_back_in_full_resolution_pixels()
    {
        var jpeg = FaceAnalyzerTests.Photo(2000, 1200, Large);
        var landmarker = new BoxLandmarker();
        using var analyzer = FaceAnalyzer.Load(TinyModel.Path, new FaceAnalyzerOptions { ReducedDecodeSide = 480 }, new BrightSquareDetector(), landmarker);

        var face = Assert.Single(analyzer.Analyze(jpeg).Faces);

        Assert.Equal([(500, 300)], landmarker.Calls); // located on the 1/4 decode the detector scanned
        var expected = BoxLandmarker.At(new FaceBox(Large.X, Large.Y, Large.Width, Large.Height));
        var landmarks = Assert.IsType<FaceLandmarks>(face.Landmarks);
        Assert.Equal(expected.LeftEye.X, landmarks.LeftEye.X, 0.5f);
        Assert.Equal(expected.MouthRight.Y, landmarks.MouthRight.Y, 0.5f);
        Assert.Equal(0, landmarks.RollDegrees, 6);
    }

    [Fact]
    public void Without_a_landmarker_or_a_detection_faces_have_no_landmarks()
    {
        var jpeg = FaceAnalyzerTests.Photo(800, 600, new Rect(96, 96, 256, 256));
        using var withoutLandmarker = FaceAnalyzer.Load(TinyModel.Path, detector: new BrightSquareDetector());
        using var withoutDetector = FaceAnalyzer.Load(TinyModel.Path, landmarker: new BoxLandmarker());

        Assert.Null(Assert.Single(withoutLandmarker.Analyze(jpeg).Faces).Landmarks);
        Assert.Null(Assert.Single(withoutDetector.Analyze(jpeg).Faces).Landmarks);
    }

    [Fact]
    public void Landmarks_from_the_detector_are_kept_and_the_landmarker_is_not_asked()
    {
        var jpeg = FaceAnalyzerTests.Photo(800, 600, new Rect(96, 96, 256, 256));
        var given = new FaceLandmarks(new(1, 2), new(3, 4), new(5, 6), new(7, 8), new(9, 10));
        var landmarker = new BoxLandmarker();
        using var analyzer = FaceAnalyzer.Load(TinyModel.Path, detector: new FixedDetector(new DetectedFace(new FaceBox(96, 96, 256, 256), 0.9f, given)), landmarker: landmarker);

        var face = Assert.Single(analyzer.Analyze(jpeg).Faces);

        Assert.Same(given, face.Landmarks);
        Assert.Empty(landmarker.Calls);
    }

    [Fact]
    public void With_an_alignment_the_face_is_cut_on_its_eyes_and_predicted_from_that_crop()
    {
        var jpeg = FaceAnalyzerTests.Photo(800, 600, new Rect(96, 96, 256, 256));
        using var image = Cv2.ImDecode(jpeg, ImreadModes.Color);
        var alignment = new EyeAlignment(new FacePoint(0.25f, 0.35f), new FacePoint(0.75f, 0.35f));
        using var boxed = FaceAnalyzer.Load(TinyModel.Path, detector: new BrightSquareDetector(), landmarker: new BoxLandmarker());
        using var aligned = FaceAnalyzer.Load(TinyModel.Path, new FaceAnalyzerOptions { Alignment = alignment }, new BrightSquareDetector(), new BoxLandmarker());

        var boxFaces = boxed.FindFaces(image);
        var alignedFaces = aligned.FindFaces(image);
        try
        {
            // Eyes 0.4 × 256 = 102.4 px apart fill half the aligned crop's side.
            Assert.Equal(205, Assert.Single(alignedFaces).Crop.Width);
            Assert.NotEqual(Assert.Single(boxFaces).Crop.Width, alignedFaces[0].Crop.Width);
            Assert.NotNull(alignedFaces[0].Landmarks);
            var fromAnalysis = Assert.Single(aligned.Analyze(jpeg).Faces);
            var fromCrop = aligned.Predict(alignedFaces[0]);
            Assert.Equal(fromCrop.Attributes["age"].Value!.Value, fromAnalysis.Attributes["age"].Value!.Value, 1e-4f);
            Assert.NotEqual(boxed.Analyze(jpeg).Faces[0].Attributes["age"].Value!.Value, fromAnalysis.Attributes["age"].Value!.Value, 1e-4f);
        }
        finally
        {
            boxFaces.Concat(alignedFaces).ToList().ForEach(f => f.Dispose());
        }
    }

    private sealed class FixedDetector(DetectedFace face) : IFaceDetector
    {
        public IReadOnlyList<DetectedFace> Detect(Mat bgr) => [face];

        public void Dispose()
        {
        }
    }
}
