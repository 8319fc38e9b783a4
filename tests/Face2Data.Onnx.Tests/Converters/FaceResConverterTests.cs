using Face2Data.Inference;
using Face2Data.Onnx.Converters;
using static Face2Data.Onnx.Tests.Converters.TfjsModelWriter;

namespace Face2Data.Onnx.Tests.Converters;

/// <summary>
/// <see cref="FaceResConverter"/> on a stand-in with FaceRes's interface (input [-1, 224, 224, 3]; outputs
/// "age_pred/Softmax" [N, 100] and "gender_pred/Sigmoid" [N, 1] after a "global_pooling/Mean") and random weights: the
/// heads must be the expected age 1 + Σ i·pᵢ and (p, 1 − p) of the reference interpreter's outputs.
/// </summary>
public sealed class FaceResConverterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("faceres-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Heads_are_the_expected_age_and_the_male_probability()
    {
        var model = TfjsGraphModel.Load(WriteStandIn());
        using var onnx = OnnxFaceModel.Load(FaceResConverter.Build(model), new OnnxFaceModelOptions { IntraOpThreads = 1 });
        const int side = FaceResConverter.InputSize;
        var random = new Random(4);
        var pixels = Enumerable.Range(0, side * side * 3).Select(_ => random.NextDouble()).ToArray();
        var expected = TfjsReferenceInterpreter.Run(model, new RefTensor([1, side, side, 3], pixels));
        var outputs = onnx.Predict(Chw(pixels, side), 1);

        Assert.Equal(["age", "gender"], onnx.Manifest.Schema.Heads.Select(h => h.Name));
        var expectedAge = 1 + expected["age_pred/Softmax"].Data.Select((p, i) => p * i).Sum();
        Assert.Equal(expectedAge, outputs.Row("age", 0)[0], 3);
        var male = expected["gender_pred/Sigmoid"].Data[0];
        Assert.Equal(male, outputs.Row("gender", 0)[0], 5);
        Assert.Equal(1 - male, outputs.Row("gender", 0)[1], 5);
    }

    [Fact]
    public void A_graph_without_gears_outputs_is_refused()
    {
        var w = new TfjsModelWriter(1);
        w.Node("out", "Relu", [w.Placeholder("input_1", -1, 198, 198, 3)]);

        Assert.Throws<InvalidDataException>(() => FaceResConverter.Build(TfjsGraphModel.Load(w.Save(_folder))));
    }

    private string WriteStandIn()
    {
        var w = new TfjsModelWriter(9);
        var input = w.Placeholder("input_1", -1, FaceResConverter.InputSize, FaceResConverter.InputSize, 3);
        var conv = w.Node("conv1", "Conv2D", [input, w.Random("conv1/w", [3, 3, 3, 8], 0.01f)], new()
        {
            ["padding"] = S("SAME"), ["strides"] = Ints(1, 2, 2, 1), ["dilations"] = Ints(1, 1, 1, 1),
        });
        var relu = w.Node("conv1_relu/Relu", "Relu", [conv]);
        var pooled = w.Node("global_pooling/Mean", "Mean", [relu, w.IntConst("global_pooling/axes", [2], 1, 2)], new() { ["keep_dims"] = B(false) });
        var age = w.Node("age_pred/BiasAdd", "_FusedMatMul", [pooled, w.Random("age_pred/w", [8, 100], 1f), w.Random("age_pred/b", [100], 0.3f)], new()
        {
            ["transpose_a"] = B(false), ["transpose_b"] = B(false), ["fused_ops"] = Strings("BiasAdd"), ["num_args"] = I(1),
        });
        w.Node("age_pred/Softmax", "Softmax", [age]);
        var gender = w.Node("gender_pred/BiasAdd", "_FusedMatMul", [pooled, w.Random("gender_pred/w", [8, 1], 1f), w.Random("gender_pred/b", [1], 0.3f)], new()
        {
            ["transpose_a"] = B(false), ["transpose_b"] = B(false), ["fused_ops"] = Strings("BiasAdd"), ["num_args"] = I(1),
        });
        w.Node("gender_pred/Sigmoid", "Sigmoid", [gender]);
        return w.Save(_folder);
    }
}
