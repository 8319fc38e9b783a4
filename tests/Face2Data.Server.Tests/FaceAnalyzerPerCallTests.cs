using Face2Data.Detection;
using Face2Data.Inference;
using OpenCvSharp;

namespace Face2Data.Server.Tests;

/// <summary>The inference library's per-call detection settings (<see cref="FaceAnalyzer.Analyze(ReadOnlySpan{byte}, FaceAnalysisRequest)"/>), which the server's query options use.</summary>
public sealed class FaceAnalyzerPerCallTests
{
    [Fact]
    public void Per_call_detection_mode_and_face_limit_override_the_analyzer_options()
    {
        using var analyzer = FaceAnalyzer.Load(TestModel.Path, new FaceAnalyzerOptions { Detection = DetectionMode.Never, MaxFaces = 20 }, new SquareDetector());
        using var image = TestImages.Squares(400, 300, new Rect(10, 10, 40, 40), new Rect(200, 100, 120, 120));
        var png = TestImages.Png(image);

        var byOptions = analyzer.Analyze(png);
        var perCall = analyzer.Analyze(png, new() { Detection = DetectionMode.Always, MaxFaces = 1 });
        var both = analyzer.Analyze(png, new() { Detection = DetectionMode.Auto, MaxFaces = 5 });

        Assert.Equal([new FaceBox(0, 0, 400, 300)], byOptions.Faces.Select(f => f.Box));
        Assert.Equal([new FaceBox(200, 100, 120, 120)], perCall.Faces.Select(f => f.Box));
        Assert.Equal([new FaceBox(200, 100, 120, 120), new FaceBox(10, 10, 40, 40)], both.Faces.Select(f => f.Box));
        Assert.Equal(both.Faces[0].Attributes["age"].Value, perCall.Faces[0].Attributes["age"].Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => analyzer.Analyze(png, new() { Detection = DetectionMode.Auto, MaxFaces = 0 }));
    }
}
