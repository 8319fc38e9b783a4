using Face2Data.Datasets;
using Face2Data.Detection;
using Face2Data.Imaging;
using Face2Data.Inference;
using Face2Data.Schema;
using Face2Data.Training.Export;
using Face2Data.Training.Models;
using Face2Data.Training.Training;
using OpenCvSharp;
using TorchSharp;
using Scalar = OpenCvSharp.Scalar;

namespace Face2Data.Training.Tests.Export;

/// <summary>Every architecture, exported, gives ONNX Runtime the outputs TorchSharp gives in eval mode.</summary>
public sealed class ArchitectureParityTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("f2d-parity-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string, int, bool> Cases => new()
    {
        { "f2d", 32, false },
        { "f2d", 32, true },
        { "seed", 36, false },
        { "seed", 36, true },
        { "densenet121", 32, false },
        { "face-resnet", 150, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Torch_and_onnx_runtime_outputs_agree_within_1e_4(string architecture, int size, bool eightHeads)
    {
        var schema = eightHeads ? TestSchemas.EightHeads : AttributeSchema.UtkFace.WithLoss("age", "distribution");
        torch.manual_seed(4);
        using var model = ModelSpec.For(architecture, schema, size).Create();
        WarmUpBatchNorm(model, size);
        model.eval();
        using var input = torch.randn(3, 3, size, size);
        var expected = model.Predict(model.forward(input)).Select(t => t.data<float>().ToArray()).ToArray();

        var manifest = Manifest(schema, size, architecture);
        using var onnx = OnnxFaceModel.Load(OnnxExporter.ExportToBytes(model, schema, size, manifest.ToMetadata()));
        var actual = onnx.Predict(input.data<float>().ToArray(), 3);

        for (var h = 0; h < schema.Heads.Count; h++)
        {
            Assert.True(ExportTestData.MaxAbsDifference(expected[h], actual.Values[h]) <= 1e-4f * Math.Max(1, schema.Heads[h].Max), $"{architecture} head {schema.Heads[h].Name}");
        }
    }

    [Fact]
    public void Training_and_inference_pipelines_make_the_same_tensor_from_the_same_image()
    {
        // A non-square, non-model-sized JPEG: resizing, BGR→RGB and normalization all have to agree.
        var folder = Path.Combine(_directory, "faces");
        Directory.CreateDirectory(folder);
        using (var image = new Mat(130, 150, MatType.CV_8UC3))
        {
            Cv2.Randu(image, Scalar.All(0), Scalar.All(255));
            Cv2.Rectangle(image, new Rect(10, 20, 40, 30), new Scalar(255, 0, 0), -1);
            Cv2.ImWrite(Path.Combine(folder, "30_1_2_20170101000000000.jpg.chip.jpg"), image);
        }

        var dataset = UtkFaceDataset.Open(folder);
        var preprocessing = new ImagePreprocessing { Size = 48, Resize = ResizeMethod.Area };
        using var cache = PreprocessedImageCache.LoadOrBuild(dataset, preprocessing, Path.Combine(_directory, "cache"));
        using var training = ImageBatch.ToTensor(cache.Image(0).ToArray(), 1, preprocessing);

        var bytes = File.ReadAllBytes(Path.Combine(folder, dataset.Samples[0].Id));
        using var decoded = new ImageDecoder().Decode(bytes);
        var inference = new float[preprocessing.TensorLength];
        preprocessing.Normalize(preprocessing.ToRgbPixels(decoded), inference);

        Assert.True(ExportTestData.MaxAbsDifference(training.data<float>().ToArray(), inference) <= 1e-6f);
    }

    [Fact]
    public void Exported_checkpoint_analyzes_a_face_like_the_trained_model()
    {
        var dataset = SyntheticFaces.Create(Path.Combine(_directory, "faces"), count: 4, size: 40);
        var spec = ModelSpec.For("f2d", dataset.Schema, 32);
        torch.manual_seed(9);
        using var model = spec.Create();
        WarmUpBatchNorm(model, 32);
        model.eval();
        var preprocessing = new ImagePreprocessing { Size = 32 };
        var checkpoint = Path.Combine(_directory, "run", "best.ckpt");
        Checkpoint.Save(checkpoint, model, new CheckpointInfo { Model = spec, Preprocessing = preprocessing, TrainingData = "synthetic" });
        var onnxPath = Path.Combine(_directory, "model.onnx");

        var manifest = CheckpointExport.Export(Path.Combine(_directory, "run", "best"), onnxPath);

        Assert.Equal("run", manifest.Name);
        Assert.True(File.Exists(ModelCard.JsonPath(onnxPath)));
        Assert.Contains("| age | regression | 0–116 years |", File.ReadAllText(ModelCard.MarkdownPath(onnxPath)));
        using var cache = PreprocessedImageCache.LoadOrBuild(dataset, preprocessing, Path.Combine(_directory, "cache"));
        using var input = ImageBatch.ToTensor(cache.Image(0).ToArray(), 1, preprocessing);
        var expected = model.Predict(model.forward(input));
        using var analyzer = FaceAnalyzer.Load(onnxPath, new FaceAnalyzerOptions { Detection = DetectionMode.Never });
        var face = Assert.Single(analyzer.Analyze(File.ReadAllBytes(Path.Combine(_directory, "faces", dataset.Samples[0].Id))).Faces);

        Assert.False(face.Detected);
        Assert.Equal(new FaceBox(0, 0, 40, 40), face.Box);
        // The analyzer reports values inside the head's range (0–116 years); a random model may predict outside it.
        Assert.Equal(Math.Clamp(expected[0].item<float>(), 0f, 116f), face.Attributes["age"].Value!.Value, 3);
        var gender = expected[1].data<float>().ToArray();
        Assert.Equal(gender[1], face.Attributes["gender"].Probabilities!["female"], 4);
        Assert.Equal(gender[1] > gender[0] ? "female" : "male", face.Attributes["gender"].Label);
        Assert.Equal(5, face.Attributes["race"].Probabilities!.Count);
    }

    private static void WarmUpBatchNorm(MultiHeadModel model, int size)
    {
        // A few train-mode passes move the running statistics away from 0/1, so folding them is really tested.
        model.train();
        using var noGrad = torch.no_grad();
        for (var i = 0; i < 3; i++)
        {
            using var scope = torch.NewDisposeScope();
            model.forward(torch.randn(4, 3, size, size) * 2 + 0.5);
        }
    }

    private static ModelManifest Manifest(AttributeSchema schema, int size, string architecture) => new()
    {
        Name = "parity",
        Architecture = architecture,
        Schema = schema,
        Preprocessing = new ImagePreprocessing { Size = size },
        CreatedUtc = DateTimeOffset.UnixEpoch,
    };
}
