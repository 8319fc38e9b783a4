using Face2Data.Inference;
using Face2Data.Onnx.Converters;
using static Face2Data.Onnx.Tests.Converters.TfjsModelWriter;

namespace Face2Data.Onnx.Tests.Converters;

/// <summary>
/// <see cref="GrayscaleGenderConverter"/> on a stand-in with the gender classifier's interface (a one-channel input
/// [-1, 64, 64, 1]; one Identity output reading a softmax over (woman, man)) and random weights: the converted model
/// takes RGB, and its head must be the reference interpreter's probabilities on the luma of that RGB, as (male, female).
/// </summary>
public sealed class GrayscaleGenderConverterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gray-gender-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_head_is_the_graphs_softmax_on_the_luma_of_the_rgb_input_as_male_then_female()
    {
        var model = TfjsGraphModel.Load(WriteStandIn(channels: 1));
        using var onnx = OnnxFaceModel.Load(GrayscaleGenderConverter.Build(model), new OnnxFaceModelOptions { IntraOpThreads = 1 });
        const int side = GrayscaleGenderConverter.InputSize;
        var random = new Random(5);
        var rgb = Enumerable.Range(0, side * side * 3).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var weights = GrayscaleGenderConverter.LumaWeights;
        var luma = Enumerable.Range(0, side * side).Select(i => weights[0] * rgb[3 * i] + weights[1] * rgb[3 * i + 1] + weights[2] * rgb[3 * i + 2]).ToArray();
        var expected = TfjsReferenceInterpreter.Run(model, new RefTensor([1, side, side, 1], luma))["Identity"].Data;

        var gender = onnx.Predict(Chw(rgb, side), 1).Row("gender", 0).ToArray();

        Assert.Equal(["male", "female"], onnx.Manifest.Schema.Heads.Single().Classes);
        Assert.Equal([0.5f, 0.5f, 0.5f], onnx.Manifest.Preprocessing.Mean);
        Assert.Equal(expected[1], gender[0], 5);
        Assert.Equal(expected[0], gender[1], 5);
    }

    [Fact]
    public void A_colour_input_is_refused_with_its_channels()
    {
        var model = TfjsGraphModel.Load(WriteStandIn(channels: 3));

        var error = Assert.Throws<InvalidDataException>(() => GrayscaleGenderConverter.Build(model));
        Assert.Equal("Placeholder 'input_1' has 3 channels; grayscale weights need a one-channel input and three weights.", error.Message);
    }

    private string WriteStandIn(int channels)
    {
        var w = new TfjsModelWriter(10);
        var input = w.Placeholder("input_1", -1, GrayscaleGenderConverter.InputSize, GrayscaleGenderConverter.InputSize, channels);
        var conv = w.Node("m/conv/Relu", "_FusedConv2D", [input, w.Random("m/conv/w", [3, 3, channels, 8], 0.5f), w.Random("m/conv/b", [8], 0.2f)], new()
        {
            ["padding"] = S("SAME"), ["strides"] = Ints(1, 2, 2, 1), ["dilations"] = Ints(1, 1, 1, 1), ["fused_ops"] = Strings("BiasAdd", "Relu"),
        });
        var pooled = w.Node("m/gap/Mean", "Mean", [conv, w.IntConst("m/gap/axes", [2], 1, 2)], new() { ["keep_dims"] = B(false) });
        var logits = w.Node("m/predictions/BiasAdd", "_FusedMatMul", [pooled, w.Random("m/predictions/w", [8, 2], 1f), w.Random("m/predictions/b", [2], 0.3f)], new()
        {
            ["transpose_a"] = B(false), ["transpose_b"] = B(false), ["fused_ops"] = Strings("BiasAdd"), ["num_args"] = I(1),
        });
        w.Node("Identity", "Identity", [w.Node("m/predictions/Softmax", "Softmax", [logits])]);
        return w.Save(_folder);
    }
}
