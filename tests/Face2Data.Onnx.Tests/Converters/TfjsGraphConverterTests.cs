using Face2Data.Onnx.Converters;
using Microsoft.ML.OnnxRuntime;
using static Face2Data.Onnx.Tests.Converters.TfjsModelWriter;

namespace Face2Data.Onnx.Tests.Converters;

/// <summary>
/// <see cref="TfjsGraphConverter"/> on small TensorFlow.js graph models written here with random weights (float32,
/// float16 and uint8 storage) using every supported operator: ONNX Runtime's outputs must match a float64 NHWC
/// interpreter of the same graph (<see cref="TfjsReferenceInterpreter"/>) within 1e-4.
/// </summary>
public sealed class TfjsGraphConverterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tfjs-graph-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 11)]
    public void Converted_graph_matches_the_reference_interpreter_within_1e_4(int batch, int seed)
    {
        var path = WriteEveryOperatorModel(seed);
        var model = TfjsGraphModel.Load(path);
        var options = new TfjsGraphConverterOptions { InputScale = 1 / 127.5f, InputOffset = -1f };
        var bytes = TfjsGraphConverter.Build(model, options);

        var random = new Random(seed);
        var pixels = Enumerable.Range(0, batch * 16 * 16 * 3).Select(_ => (double)random.Next(256)).ToArray();
        var expected = TfjsReferenceInterpreter.Run(model, new RefTensor([batch, 16, 16, 3], pixels), options.InputScale, options.InputOffset);

        // The ONNX input is NCHW.
        var nchw = new float[pixels.Length];
        for (var b = 0; b < batch; b++)
        {
            for (var y = 0; y < 16; y++)
            {
                for (var x = 0; x < 16; x++)
                {
                    for (var c = 0; c < 3; c++)
                    {
                        nchw[(((b * 3) + c) * 16 + y) * 16 + x] = (float)pixels[(((b * 16) + y) * 16 + x) * 3 + c];
                    }
                }
            }
        }

        using var session = new InferenceSession(bytes);
        using var value = OrtValue.CreateTensorValueFromMemory(nchw, [batch, 3, 16, 16]);
        using var runOptions = new RunOptions();
        var names = session.OutputNames.ToArray();
        using var outputs = session.Run(runOptions, ["input"], [value], names);
        Assert.Equal(["heads/out", "pooled/out", "probs/out", "side/out"], names.Order(StringComparer.Ordinal));
        for (var i = 0; i < names.Length; i++)
        {
            var reference = expected[names[i]];
            Assert.Equal(reference.Shape.Select(d => (long)d), outputs[i].GetTensorTypeAndShape().Shape);
            var actual = outputs[i].GetTensorDataAsSpan<float>().ToArray();
            var worst = actual.Select((v, k) => Math.Abs(v - reference.Data[k])).Max();
            Assert.True(worst <= 1e-4, $"{names[i]}: max |ONNX − reference| = {worst:E2}");
            Assert.True(reference.Data.Max(Math.Abs) > 0.01, $"{names[i]} is all near zero: a weak check");
        }
    }

    [Fact]
    public void Convert_writes_a_model_onnx_runtime_loads()
    {
        var path = WriteEveryOperatorModel(5);
        var onnx = Path.Combine(_folder, "out.onnx");

        TfjsGraphConverter.Convert(path, onnx);

        using var session = new InferenceSession(onnx);
        Assert.Equal([-1, 3, 16, 16], session.InputMetadata["input"].Dimensions);
    }

    [Fact]
    public void ReverseChannels_feeds_the_network_the_input_in_BGR_order()
    {
        var w = new TfjsModelWriter(2);
        var input = w.Placeholder("input", -1, 2, 2, 3);
        w.Node("out", "Conv2D", [input, w.Floats("k", [1, 1, 3, 1], [1f, 10f, 100f])], new()
        {
            ["padding"] = S("VALID"), ["strides"] = Ints(1, 1, 1, 1), ["dilations"] = Ints(1, 1, 1, 1),
        });
        var bytes = TfjsGraphConverter.Build(TfjsGraphModel.Load(w.Save(_folder)), new TfjsGraphConverterOptions { ReverseChannels = true, InputName = "image" });

        using var session = new InferenceSession(bytes);
        // Every pixel is RGB (1, 2, 3): the network sees (3, 2, 1).
        var nchw = Enumerable.Repeat(1f, 4).Concat(Enumerable.Repeat(2f, 4)).Concat(Enumerable.Repeat(3f, 4)).ToArray();
        using var value = OrtValue.CreateTensorValueFromMemory(nchw, [1, 3, 2, 2]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["image"], [value], ["out"]);

        Assert.All(outputs[0].GetTensorDataAsSpan<float>().ToArray(), v => Assert.Equal(3f + 20f + 100f, v));
    }

    [Fact]
    public void An_unsupported_operator_is_refused_naming_the_operator_and_the_node()
    {
        var writer = new TfjsModelWriter(1);
        var input = writer.Placeholder("input", 1, 4, 4, 3);
        writer.Node("head/topk", "TopKV2", [input]);
        var model = TfjsGraphModel.Load(writer.Save(_folder));

        var error = Assert.Throws<InvalidDataException>(() => TfjsGraphConverter.Build(model, new TfjsGraphConverterOptions()));

        Assert.Contains("'TopKV2'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'head/topk'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Weights_are_read_as_float32_float16_uint8_and_int32()
    {
        var writer = new TfjsModelWriter(1);
        writer.Floats("f32", [2], [0.1f, -3.5f]);
        writer.Floats("f16", [3], [0.5f, -2f, 65504f], "float16");
        writer.Floats("u8", [2], [0f, 2.55f], "uint8");
        writer.IntConst("i32", [2], -1, 7);
        var input = writer.Placeholder("input", 1, 2, 2, 1);
        writer.Node("out", "Relu", [input]);

        var weights = TfjsGraphModel.Load(writer.Save(_folder)).Weights;

        Assert.Equal([0.1f, -3.5f], weights["f32"].Floats!);
        Assert.Equal([0.5f, -2f, 65504f], weights["f16"].Floats!);
        Assert.Equal(0f, weights["u8"].Floats![0]);
        Assert.Equal(2.55f, weights["u8"].Floats![1], 5);
        Assert.Equal([-1, 7], weights["i32"].Ints!);
    }

    [Fact]
    public void A_layers_model_or_missing_file_is_refused()
    {
        var layers = Path.Combine(_folder, "layers.json");
        File.WriteAllText(layers, """{"format": "layers-model", "modelTopology": {"class_name": "Sequential"}}""");

        Assert.Throws<InvalidDataException>(() => TfjsGraphModel.Load(layers));
        Assert.Throws<FileNotFoundException>(() => TfjsGraphModel.Load(Path.Combine(_folder, "none.json")));
    }

    // Input [-1, 16, 16, 3] → two outputs: "heads/out" [N, 128, 5] through every operator, and "side/out" [N, 8, 8, 8]
    // (a rank-4 output, given in NHWC); a head as in a classifier: a plain Conv2D clipped by Minimum/Maximum with
    // scalars, Mean (global pooling) and Max (keep_dims) reductions, _FusedMatMul (BiasAdd + Relu, then BiasAdd) and
    // Softmax → "probs/out" [N, 5], and "pooled/out" [N, 1, 1, 8] (Max keeping its dimensions, NHWC).
    private string WriteEveryOperatorModel(int seed)
    {
        var w = new TfjsModelWriter(seed);
        var input = w.Placeholder("input", -1, 16, 16, 3);
        var pad = w.Node("pad", "Pad", [input, w.IntConst("pad/paddings", [4, 2], 0, 0, 1, 1, 1, 1, 0, 0)]);
        var c1 = w.Node("c1", "_FusedConv2D", [pad, w.Random("c1/w", [3, 3, 3, 8], 0.4f, "float16"), w.Random("c1/b", [8], 0.2f)], new()
        {
            ["padding"] = S("VALID"), ["strides"] = Ints(1, 2, 2, 1), ["dilations"] = Ints(1, 1, 1, 1), ["data_format"] = S("NHWC"),
            ["fused_ops"] = Strings("BiasAdd", "Relu"),
        });
        var d1 = w.Node("d1", "FusedDepthwiseConv2dNative", [c1, w.Random("d1/w", [3, 3, 8, 1], 0.5f, "uint8"), w.Random("d1/b", [8], 0.2f)], new()
        {
            ["padding"] = S("SAME"), ["strides"] = Ints(1, 1, 1, 1), ["dilations"] = Ints(1, 1, 1, 1), ["fused_ops"] = Strings("BiasAdd"),
        });
        var c2 = w.Node("c2", "_FusedConv2D", [d1, w.Random("c2/w", [1, 1, 8, 8]), w.Random("c2/b", [8], 0.2f), w.Random("c2/alpha", [8], 0.3f)], new()
        {
            ["padding"] = S("SAME"), ["strides"] = Ints(1, 1, 1, 1), ["fused_ops"] = Strings("BiasAdd", "Prelu"),
        });
        var relu = w.Node("relu", "Relu", [w.Node("add", "AddV2", [c1, c2])]);
        var d2 = w.Node("d2", "DepthwiseConv2dNative", [relu, w.Random("d2/w", [3, 3, 8, 2])], new()
        {
            ["padding"] = S("SAME"), ["strides"] = Ints(1, 2, 2, 1), ["dilations"] = Ints(1, 1, 1, 1),
        });
        var pool = w.Node("pool", "MaxPool", [relu], new() { ["ksize"] = Ints(1, 3, 3, 1), ["strides"] = Ints(1, 2, 2, 1), ["padding"] = S("SAME") });
        var cat = w.Node("cat", "ConcatV2", [d2, pool, w.IntConst("cat/axis", [], -1)]);
        var scaled = w.Node("scaled", "Mul", [cat, w.Random("scaled/k", [24], 2f)]);
        var shifted = w.Node("shifted", "Add", [scaled, w.Random("shifted/k", [1, 1, 1, 24], 1f)]);
        var r6 = w.Node("r6", "Relu6", [shifted]);
        var up = w.Node("up", "ResizeBilinear", [r6, w.IntConst("up/size", [2], 8, 8)], new() { ["half_pixel_centers"] = B(true), ["align_corners"] = B(false) });
        var c3 = w.Node("c3", "_FusedConv2D", [up, w.Random("c3/w", [1, 1, 24, 8]), w.Random("c3/b", [8], 0.2f)], new()
        {
            ["padding"] = S("SAME"), ["strides"] = Ints(1, 1, 1, 1), ["fused_ops"] = Strings("BiasAdd", "Relu6"),
        });
        var d2s = w.Node("d2s", "DepthToSpace", [c3], new() { ["block_size"] = I(2), ["data_format"] = S("NHWC") });
        var avg = w.Node("avg", "AvgPool", [d2s], new() { ["ksize"] = Ints(1, 2, 2, 1), ["strides"] = Ints(1, 2, 2, 1), ["padding"] = S("VALID") });
        var sig = w.Node("sig", "Sigmoid", [w.Node("sub", "Sub", [avg, w.Random("sub/k", [2], 1f)])]);
        var shape = w.Node("shape", "Shape", [sig]);
        var batch = w.Node("batch", "StridedSlice",
            [shape, w.IntConst("batch/begin", [1], 0), w.IntConst("batch/end", [1], 1), w.IntConst("batch/strides", [1], 1)],
            new() { ["shrink_axis_mask"] = I(1), ["begin_mask"] = I(0), ["end_mask"] = I(0), ["ellipsis_mask"] = I(0), ["new_axis_mask"] = I(0) });
        var packed = w.Node("packed", "Pack", [batch, w.IntConst("packed/1", [], 64), w.IntConst("packed/2", [], 2)], new() { ["axis"] = I(0) });
        var scores = w.Node("scores", "Reshape", [sig, packed]);
        var boxes = w.Node("boxes", "Reshape", [c3, w.IntConst("boxes/shape", [3], -1, 64, 8)]);
        var heads = w.Node("heads", "ConcatV2", [scores, boxes, w.IntConst("heads/axis", [], 2)]);
        w.Node("heads/out", "Identity", [w.Node("heads/tanh", "Tanh", [heads])]);
        var leaky = w.Node("side/leaky", "LeakyRelu", [c2], new() { ["alpha"] = F(0.1f) });
        w.Node("side/out", "Elu", [w.Node("side/prelu", "Prelu", [leaky, w.Random("side/alpha", [8], 0.5f)])]);
        var c4 = w.Node("c4", "Conv2D", [relu, w.Random("c4/w", [3, 3, 8, 8], 0.4f)], new()
        {
            ["padding"] = S("SAME"), ["strides"] = Ints(1, 1, 1, 1), ["dilations"] = Ints(1, 1, 1, 1), ["data_format"] = S("NHWC"),
        });
        var clipped = w.Node("clip", "Maximum", [w.Node("clip/min", "Minimum", [c4, w.Floats("clip/hi", [], [0.8f], "float16")]), w.Floats("clip/lo", [], [-0.5f])]);
        var mean = w.Node("gap", "Mean", [clipped, w.IntConst("gap/axes", [2], 1, 2)], new() { ["keep_dims"] = B(false) });
        var rowMax = w.Node("gmp", "Max", [c4, w.IntConst("gmp/axes", [2], 1, 2)], new() { ["keep_dims"] = B(false) });
        var dense = w.Node("dense", "_FusedMatMul", [w.Node("feat", "Add", [mean, rowMax]), w.Random("dense/w", [8, 6], 0.6f), w.Random("dense/b", [6], 0.2f)], new()
        {
            ["transpose_a"] = B(false), ["transpose_b"] = B(false), ["fused_ops"] = Strings("BiasAdd", "Relu"), ["num_args"] = I(1),
        });
        var logits = w.Node("logits", "_FusedMatMul", [dense, w.Random("logits/w", [5, 6], 0.8f), w.Random("logits/b", [5], 0.3f)], new()
        {
            ["transpose_a"] = B(false), ["transpose_b"] = B(true), ["fused_ops"] = Strings("BiasAdd"), ["num_args"] = I(1),
        });
        w.Node("probs/out", "Softmax", [w.Node("logits/scaled", "Mul", [logits, w.Floats("logits/k", [], [2f])])]);
        w.Node("pooled/out", "Max", [clipped, w.IntConst("pooled/axes", [2], -3, 2)], new() { ["keep_dims"] = B(true) });
        return w.Save(_folder);
    }
}
