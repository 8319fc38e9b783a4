using Face2Data.Detection;
using Face2Data.Inference;
using Face2Data.Models;

namespace Face2Data.Training.Tests.Features;

/// <summary>The committed transfer-learned model (models/face2data_resnet.onnx) as the Face2Data.Models package ships it.</summary>
public sealed class CommittedFaceResNetModelTests
{
    [Fact]
    public void It_ships_within_10_MB_with_its_schema_and_face_api_preprocessing()
    {
        var path = BundledModels.ResNetAttributeModelPath;

        using var model = OnnxFaceModel.Load(path);

        Assert.InRange(new FileInfo(path).Length, 1, 10_000_000);
        Assert.Equal("face2data-resnet", model.Manifest.Name);
        Assert.Equal("face-resnet", model.Manifest.Architecture);
        Assert.Equal(150, model.Manifest.Preprocessing.Size);
        Assert.Equal(["age", "gender", "race"], model.Schema.Heads.Select(h => h.Name));
    }

    [Fact]
    public void It_tells_a_young_womans_portrait()
    {
        using var detector = new BlazeFaceDetector(new BlazeFaceDetectorOptions());
        using var landmarker = BundledModels.LoadLandmarker();
        using var analyzer = FaceAnalyzer.Load(BundledModels.ResNetAttributeModelPath, detector: detector, landmarker: landmarker);
        // London faces 001: a 24-year-old woman, frontal portrait.
        var analysis = analyzer.Analyze(File.ReadAllBytes(Path.Combine(TestPaths.LondonFaceImages, "001_neutral.jpg")));

        var face = Assert.Single(analysis.Faces);
        Assert.Equal("female", face.Attributes["gender"].Label);
        Assert.InRange(face.Attributes["age"].Value ?? -1, 15, 35);
        Assert.True(face.Attributes["race"].Probabilities!.Values.Sum() is > 0.999f and < 1.001f);
    }
}
