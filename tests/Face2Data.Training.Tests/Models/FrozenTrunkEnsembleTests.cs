using Face2Data.Inference;
using Face2Data.Onnx;
using Face2Data.Onnx.Converters;
using Face2Data.Schema;
using Face2Data.Training.Export;
using Face2Data.Training.Models;
using Face2Data.Training.Tests.Export;
using TorchSharp;

namespace Face2Data.Training.Tests.Models;

/// <summary>
/// <see cref="FrozenTrunkEnsemble"/>: trainings of one frozen-trunk model run as one network whose outputs are the
/// members' averaged probabilities and values, in the exported file as in TorchSharp; members that do not share the
/// frozen trunk are refused.
/// </summary>
[Collection(TorchRandomCollection.Name)]
public sealed class FrozenTrunkEnsembleTests : IDisposable
{
    private const int Size = 134;
    private const string Options = """{"Levels":3,"TrainedBlocks":1,"AgeGenderFeatures":true,"AgeGenderInputSize":96,"Tower":{"Hidden":16,"Dropout":0.1}}""";

    // A categorical head, an age distribution (bins averaged as probabilities) and a plain regression (values averaged).
    private static readonly AttributeSchema Schema = new(
    [
        AttributeHead.Categorical("gender", ["female", "male"]),
        AttributeHead.Regression("age", 0, 30, loss: "distribution"),
        AttributeHead.Regression("score", 0, 10),
    ]);

    private readonly string _folder = Directory.CreateTempSubdirectory("ensemble-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_exported_ensemble_gives_the_mean_of_its_members_outputs_as_TorchSharp_does()
    {
        var members = new[] { Member(1), Member(2), Member(3) };
        var manifest = ExportTestData.Manifest(Schema) with { Preprocessing = FaceRecognitionResNet.Preprocessing(Size) };
        var files = members.Select((m, i) =>
        {
            var path = Path.Combine(_folder, $"member{i}.onnx");
            OnnxExporter.Export(m, manifest, path);
            return path;
        }).ToList();
        using var ensemble = new FrozenTrunkEnsemble(members);
        var ensembleFile = Path.Combine(_folder, "ensemble.onnx");
        OnnxExporter.Export(ensemble, manifest, ensembleFile);
        var input = ExportTestData.RandomInput(2, seed: 5, size: Size);

        var memberOutputs = files.Select(f =>
        {
            using var model = OnnxFaceModel.Load(f);
            return model.Predict(input, 2).Values;
        }).ToList();
        IReadOnlyList<float[]> actual;
        using (var model = OnnxFaceModel.Load(ensembleFile))
        {
            actual = model.Predict(input, 2).Values;
        }

        for (var h = 0; h < Schema.Heads.Count; h++)
        {
            var mean = Enumerable.Range(0, actual[h].Length).Select(i => memberOutputs.Average(o => o[h][i])).ToArray();
            ExportTestData.AssertMatchesRelative(mean, actual[h], $"head {Schema.Heads[h].Name}");
            // The members differ, so the mean is not any one member's output.
            Assert.True(ExportTestData.MaxAbsDifference(memberOutputs[0][h], actual[h]) > 1e-3f, $"head {Schema.Heads[h].Name}: the members agree, which proves little");
        }

        ensemble.eval();
        using var noGrad = torch.no_grad();
        using var images = torch.tensor(input, [2, 3, Size, Size]);
        var expected = ensemble.Predict(ensemble.forward(images));
        for (var h = 0; h < Schema.Heads.Count; h++)
        {
            ExportTestData.AssertMatchesRelative(expected[h].data<float>().ToArray(), actual[h], $"TorchSharp against ONNX, head {Schema.Heads[h].Name}");
        }
    }

    [Fact]
    public void Members_that_do_not_share_the_frozen_trunk_or_the_heads_are_refused()
    {
        using var first = Member(1);
        using var otherTrunk = Member(2, trunkSeed: 9);
        using var otherHeads = Member(3, schema: TestSchemas.TwoHeads);

        var alone = Assert.Throws<ArgumentException>(() => new FrozenTrunkEnsemble([first]));
        var trunk = Assert.Throws<ArgumentException>(() => new FrozenTrunkEnsemble([first, otherTrunk]));
        var heads = Assert.Throws<ArgumentException>(() => new FrozenTrunkEnsemble([first, otherHeads]));

        Assert.StartsWith("An ensemble needs at least two members; got 1.", alone.Message, StringComparison.Ordinal);
        Assert.Contains("Member 2's frozen weight '", trunk.Message, StringComparison.Ordinal);
        Assert.Contains("must be trainings of the same model from the same pretrained weights", trunk.Message, StringComparison.Ordinal);
        Assert.StartsWith("Member 2 predicts other heads", heads.Message, StringComparison.Ordinal);
    }

    // A "training" of the model: the stand-in published weights (trunkSeed), then seeded heads and a seeded change of
    // the trained block, as a training with that seed would leave them.
    private FaceResNet Member(int seed, int trunkSeed = 8, AttributeSchema? schema = null)
    {
        var model = (FaceResNet)ModelSpec.For("face-resnet", schema ?? Schema, Size, Options).Create();
        var folder = Directory.CreateDirectory(Path.Combine(_folder, $"weights-{trunkSeed}")).FullName;
        model.Trunk.LoadFaceApiWeights(TfjsWeights.Read(FaceRecognitionWeights.Write(folder, trunkSeed)));
        model.AgeGenderTrunk!.LoadFaceApiWeights(TfjsWeights.Read(AgeGenderWeights.Write(folder, trunkSeed + 1, channels: AgeGenderXception.PublishedChannels)));
        foreach (var head in model.HeadLayers)
        {
            ExportTestData.Randomize(head, seed * 10);
        }

        var generator = new torch.Generator((ulong)seed);
        using (torch.no_grad())
        {
            foreach (var parameter in model.Trunk.TrainedParameters)
            {
                using var noise = torch.randn(parameter.shape, generator: generator);
                parameter.add_(noise * 0.02);
            }
        }

        model.eval();
        return model;
    }
}
