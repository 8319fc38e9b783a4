using Face2Data.Detection;
using Face2Data.Inference;
using Face2Data.Models;

namespace Face2Data.Training.Tests.Features;

/// <summary>
/// The committed attribute models as the Face2Data.Models package ships them: the default (models/face2data.onnx, on
/// two pretrained face networks), its larger variant (face2data_resnet.onnx) and the small one trained from scratch
/// (face2data_f2d80.onnx, the default until issue 19), each found by its name too.
/// </summary>
public sealed class CommittedAttributeModelTests
{
    public static TheoryData<string, string, string, int> Models => new()
    {
        { "face2data.onnx", "face2data-resnet134", "face-resnet", 134 },
        { "face2data_resnet.onnx", "face2data-resnet", "face-resnet", 150 },
        { "face2data_f2d80.onnx", "face2data-f2d80", "f2d", 80 },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void It_ships_within_10_MB_with_its_schema_preprocessing_and_name(string file, string name, string architecture, int size)
    {
        var path = Path.Combine(Path.GetDirectoryName(BundledModels.AttributeModelPath)!, file);

        using var model = OnnxFaceModel.Load(path);

        Assert.InRange(new FileInfo(path).Length, 1, 10_000_000);
        Assert.Equal(name, model.Manifest.Name);
        Assert.Equal(architecture, model.Manifest.Architecture);
        Assert.Equal(size, model.Manifest.Preprocessing.Size);
        Assert.Equal(["age", "gender", "race"], model.Schema.Heads.Select(h => h.Name));
        Assert.Equal(path, file == "face2data.onnx" ? BundledModels.AttributeModelPath : BundledModel.Resolve(name));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void It_reads_the_first_London_portraits_gender_and_age(string file, string name, string architecture, int size)
    {
        _ = (name, architecture, size);
        // The first 16 rows of London's labels (file, age, gender, ...): photos for measuring, never trained on.
        var rows = File.ReadLines(Path.Combine(TestPaths.LondonFaceImages, "..", "labels.csv")).Skip(1).Take(16)
            .Select(line => line.Split(',')).Select(f => (File: f[0], Age: float.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture), Gender: f[2])).ToList();
        using var detector = new BlazeFaceDetector(new BlazeFaceDetectorOptions());
        using var landmarker = BundledModels.LoadLandmarker();
        using var analyzer = FaceAnalyzer.Load(Path.Combine(Path.GetDirectoryName(BundledModels.AttributeModelPath)!, file), detector: detector, landmarker: landmarker);

        var faces = rows.Select(r => Assert.Single(analyzer.Analyze(File.ReadAllBytes(Path.Combine(TestPaths.LondonFaceImages, "..", r.File))).Faces)).ToList();
        var genderRight = faces.Zip(rows).Count(p => p.First.Attributes["gender"].Label == p.Second.Gender);
        var ageError = faces.Zip(rows).Average(p => Math.Abs((p.First.Attributes["age"].Value ?? -100) - p.Second.Age));

        // Every shipped model got at least 0.975 of London's genders and an age MAE under 4.5 years on all 204.
        Assert.InRange(genderRight, 15, 16);
        Assert.InRange(ageError, 0, 6);
        Assert.All(faces, f => Assert.True(f.Attributes["race"].Probabilities!.Values.Sum() is > 0.999f and < 1.001f));
    }
}
