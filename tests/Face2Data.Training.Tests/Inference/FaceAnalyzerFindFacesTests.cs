using Face2Data.Detection;
using Face2Data.Inference;
using OpenCvSharp;

namespace Face2Data.Training.Tests.Inference;

/// <summary>
/// <see cref="FaceAnalyzer.FindFaces"/> and <see cref="FaceAnalyzer.Predict(FaceInput)"/>, which the explainers use:
/// the same faces, crops and predictions as the analysis.
/// </summary>
public sealed class FaceAnalyzerFindFacesTests(AnalyzerFixture fixture) : IClassFixture<AnalyzerFixture>
{
    private static readonly Rect[] Places = [new(60, 80, 240, 240), new(420, 150, 160, 160)];

    [Fact]
    public void Found_faces_are_the_analysis_faces_with_their_crops_and_predictions()
    {
        using var scene = fixture.Scene(700, 450, Places);
        using var analyzer = fixture.Analyzer(DetectionMode.Auto, fixture.Detector);
        var analysis = analyzer.Analyze(scene);

        var inputs = analyzer.FindFaces(scene, new() { Detection = DetectionMode.Auto, MaxFaces = 20 });
        try
        {
            Assert.Equal(analysis.Faces.Select(f => (f.Box, f.DetectionScore)), inputs.Select(i => (i.Box, i.DetectionScore)));
            for (var i = 0; i < inputs.Count; i++)
            {
                using var expectedCrop = FaceCrop.Extract(scene, inputs[i].Box, analyzer.Model.Crop);
                Assert.Equal(0, Cv2.Norm(expectedCrop, inputs[i].Crop, NormTypes.INF));
                Assert.Equal(analyzer.Model.Preprocessing.ToRgbPixels(expectedCrop), inputs[i].Pixels);
                var predicted = analyzer.Predict(inputs[i]);
                foreach (var (head, expected) in analysis.Faces[i].Attributes)
                {
                    Assert.Equal(expected.Label, predicted.Attributes[head].Label);
                    Assert.Equal(expected.Value ?? expected.Confidence!.Value, predicted.Attributes[head].Value ?? predicted.Attributes[head].Confidence!.Value, 5);
                }
            }
        }
        finally
        {
            foreach (var input in inputs)
            {
                input.Dispose();
            }
        }
    }

    [Fact]
    public void Without_detection_the_whole_image_is_the_one_face_and_a_grey_image_is_taken_too()
    {
        using var grey = new Mat(90, 120, MatType.CV_8UC1, Scalar.All(100));
        using var analyzer = fixture.Analyzer(DetectionMode.Never, null);

        var inputs = analyzer.FindFaces(grey, new() { Detection = DetectionMode.Never, MaxFaces = 5 });

        using var input = Assert.Single(inputs);
        Assert.False(input.Detected);
        Assert.Equal(new FaceBox(0, 0, 120, 90), input.Box);
        Assert.Equal((120, 90, 3), (input.Crop.Width, input.Crop.Height, input.Crop.Channels()));
        Assert.All(input.Pixels, p => Assert.Equal(100, p));
    }

    [Fact]
    public void The_face_limit_keeps_the_largest_faces()
    {
        using var scene = fixture.Scene(700, 450, Places);
        using var analyzer = fixture.Analyzer(DetectionMode.Always, fixture.Detector);

        var inputs = analyzer.FindFaces(scene, new() { Detection = DetectionMode.Always, MaxFaces = 1 });

        using var input = Assert.Single(inputs);
        Assert.True(input.Detected);
        Assert.True(input.Box.Area > 200 * 200, $"box {input.Box}");
    }
}
