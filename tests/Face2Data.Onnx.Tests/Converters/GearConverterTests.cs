using Face2Data.Inference;
using Face2Data.Onnx.Converters;
using static Face2Data.Onnx.Tests.Converters.TfjsModelWriter;

namespace Face2Data.Onnx.Tests.Converters;

/// <summary>
/// <see cref="GearConverter"/> on a stand-in with GEAR's interface (input [-1, 198, 198, 3]; Identity outputs reading
/// "…/age_output/Softmax" [N, 7], "…/gender_output/Softmax" [N, 2], "…/race_output/Softmax" [N, 5]) and random
/// weights: the attribute model's heads must be the reference interpreter's probabilities and the expected bin centre.
/// </summary>
public sealed class GearConverterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gear-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Heads_are_the_graphs_probabilities_and_the_expected_age_bin_centre()
    {
        var model = TfjsGraphModel.Load(WriteStandIn());
        using var onnx = OnnxFaceModel.Load(GearConverter.Build(model), new OnnxFaceModelOptions { IntraOpThreads = 1 });
        const int side = GearConverter.InputSize;
        var random = new Random(4);
        var pixels = Enumerable.Range(0, side * side * 3).Select(_ => random.NextDouble()).ToArray();
        var expected = TfjsReferenceInterpreter.Run(model, new RefTensor([1, side, side, 3], pixels));
        var outputs = onnx.Predict(Chw(pixels, side), 1);

        Assert.Equal(["age", "gender", "race"], onnx.Manifest.Schema.Heads.Select(h => h.Name));
        Assert.Equal(GearConverter.InputSize, onnx.Manifest.Preprocessing.Size);
        var age = expected["Identity"].Data;
        var expectedAge = age.Select((p, i) => p * GearConverter.AgeBinCentres[i]).Sum();
        Assert.Equal(expectedAge, outputs.Row("age", 0)[0], 3);
        Assert.Equal(expected["Identity_1"].Data, outputs.Row("gender", 0).ToArray().Select(v => (double)v), new Tolerance(1e-5));
        Assert.Equal(expected["Identity_2"].Data, outputs.Row("race", 0).ToArray().Select(v => (double)v), new Tolerance(1e-5));
    }

    [Fact]
    public void A_graph_without_gears_outputs_is_refused()
    {
        var w = new TfjsModelWriter(1);
        w.Node("out", "Relu", [w.Placeholder("input_1", -1, 198, 198, 3)]);

        Assert.Throws<InvalidDataException>(() => GearConverter.Build(TfjsGraphModel.Load(w.Save(_folder))));
    }

    private string WriteStandIn()
    {
        var w = new TfjsModelWriter(9);
        var input = w.Placeholder("input_1", -1, GearConverter.InputSize, GearConverter.InputSize, 3);
        var conv = w.Node("m/conv/Relu", "_FusedConv2D", [input, w.Random("m/conv/w", [3, 3, 3, 8], 0.5f), w.Random("m/conv/b", [8], 0.2f)], new()
        {
            ["padding"] = S("SAME"), ["strides"] = Ints(1, 2, 2, 1), ["dilations"] = Ints(1, 1, 1, 1), ["fused_ops"] = Strings("BiasAdd", "Relu"),
        });
        var pooled = w.Node("m/gmp/Max", "Max", [conv, w.IntConst("m/gmp/axes", [2], 1, 2)], new() { ["keep_dims"] = B(false) });
        foreach (var (head, size, identity) in new[] { ("age_output", 7, "Identity"), ("gender_output", 2, "Identity_1"), ("race_output", 5, "Identity_2") })
        {
            var logits = w.Node($"m/{head}/BiasAdd", "_FusedMatMul", [pooled, w.Random($"m/{head}/w", [8, size], 1f), w.Random($"m/{head}/b", [size], 0.3f)], new()
            {
                ["transpose_a"] = B(false), ["transpose_b"] = B(false), ["fused_ops"] = Strings("BiasAdd"), ["num_args"] = I(1),
            });
            w.Node(identity, "Identity", [w.Node($"m/{head}/Softmax", "Softmax", [logits])]);
        }

        return w.Save(_folder);
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(double obj) => 0;
    }
}
