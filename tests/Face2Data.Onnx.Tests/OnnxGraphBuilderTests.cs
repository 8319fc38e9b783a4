using Face2Data.Onnx;
using Face2Data.Onnx.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace Face2Data.Onnx.Tests;

public sealed class OnnxGraphBuilderTests
{
    [Fact]
    public void Unique_names_skip_used_and_reserved_names()
    {
        var graph = new OnnxGraphBuilder();
        graph.Reserve("age");
        var x = graph.AddInput("x", [OnnxDimension.Fixed(1), OnnxDimension.Fixed(2)]);

        Assert.Equal("age_1", graph.UniqueName("age"));
        Assert.Equal("x_1", graph.UniqueName("x"));
        Assert.Equal("a_b", graph.UniqueName("a b"));
        Assert.Equal("age", graph.Identity(x, output: "age"));
        var error = Assert.Throws<InvalidOperationException>(() => graph.Identity(x, output: "age"));
        Assert.Equal("The value name 'age' is already used.", error.Message);
    }

    [Fact]
    public void Node_rejects_an_input_that_does_not_exist()
    {
        var graph = new OnnxGraphBuilder();
        var error = Assert.Throws<ArgumentException>(() => graph.Relu("missing"));
        Assert.StartsWith("The graph has no value 'missing'.", error.Message);
    }

    [Fact]
    public void Initializer_shape_must_hold_its_values()
    {
        var graph = new OnnxGraphBuilder();
        var error = Assert.Throws<ArgumentException>(() => graph.AddInitializer("w", [1f, 2f, 3f], 2, 2));
        Assert.StartsWith("Shape [2, 2] does not hold 3 values.", error.Message);
    }

    [Fact]
    public void Weights_of_at_most_256_levels_are_stored_a_byte_each_and_compute_the_same()
    {
        // Two 64×64 weight matrices: one of 256 distinct values (dequantized uint8), one of 257 (not compacted).
        var random = new Random(3);
        var levels = Enumerable.Range(0, 64 * 64).Select(_ => -0.5f + (random.Next(256) * 0.0039f)).ToArray();
        var dense = Enumerable.Range(0, 64 * 64).Select(i => i < 257 ? i * 0.001f : 0.5f).ToArray();
        byte[] Build(bool compact, out int compacted, WeightStorage storage = WeightStorage.Float32)
        {
            var graph = new OnnxGraphBuilder();
            graph.Reserve("y");
            var x = graph.AddInput("x", [OnnxDimension.Fixed(1), OnnxDimension.Fixed(64)]);
            var first = graph.MatMul(x, graph.AddInitializer("w1", levels, 64, 64));
            graph.Identity(graph.MatMul(first, graph.AddInitializer("w2", dense, 64, 64)), output: "y");
            graph.AddOutput("y", [OnnxDimension.Fixed(1), OnnxDimension.Fixed(64)]);
            compacted = compact ? graph.CompactInitializers(storage: storage) : 0;
            return graph.ToModelBytes(new Dictionary<string, string>());
        }

        var plain = Build(compact: false, out _);
        var small = Build(compact: true, out var count);

        Assert.Equal(1, count);
        Assert.True(small.Length < plain.Length - (2 * 64 * 64), $"{small.Length} bytes against {plain.Length}");
        var input = Enumerable.Range(0, 64).Select(i => (float)Math.Sin(i)).ToArray();
        Assert.Equal(Run(plain, input), Run(small, input));

        // float16: the 257-value matrix takes two bytes a value; outputs move by float16's rounding only.
        var halved = Build(compact: true, out var halvedCount, WeightStorage.Float16);
        Assert.Equal(2, halvedCount);
        Assert.True(halved.Length < small.Length - (64 * 64), $"{halved.Length} bytes against {small.Length}");
        var expected = Run(plain, input);
        var actual = Run(halved, input);
        var size = expected.Max(MathF.Abs);
        Assert.All(expected.Zip(actual), p => Assert.True(MathF.Abs(p.First - p.Second) <= 2e-3f * size, $"{p.First} against {p.Second}"));
        Assert.NotEqual(expected, actual);

        // 8-bit levels: the 257-value matrix takes a byte a value (and a 1 KB table); each weight moves by at most half a level (0.5 / 510
        // here), so each output by at most that times the sum of |input|.
        var bytes = Build(compact: true, out var bytesCount, WeightStorage.Byte);
        Assert.Equal(2, bytesCount);
        Assert.True(bytes.Length < halved.Length - (64 * 64 / 2), $"{bytes.Length} bytes against {halved.Length}");
        var leveled = Run(bytes, input);
        var hidden = MatrixProduct(input, levels);
        var bound = hidden.Sum(MathF.Abs) * (0.5f / 510) * 1.001f;
        Assert.All(expected.Zip(leveled), p => Assert.True(MathF.Abs(p.First - p.Second) <= bound, $"{p.First} against {p.Second}, bound {bound}"));
        Assert.NotEqual(expected, leveled);
    }

    [Fact]
    public void Byte_levels_refuse_weights_that_are_not_finite()
    {
        var graph = new OnnxGraphBuilder();
        var weights = Enumerable.Range(0, 4096).Select(i => i == 7 ? float.NaN : i * 1e-3f).ToArray();
        graph.AddInitializer("w", weights, 64, 64);

        var error = Assert.Throws<InvalidOperationException>(() => graph.CompactInitializers(storage: WeightStorage.Byte));

        Assert.Contains("'w' holds NaN", error.Message, StringComparison.Ordinal);
    }

    private static float[] MatrixProduct(float[] row, float[] matrix) =>
        Enumerable.Range(0, 64).Select(j => Enumerable.Range(0, 64).Sum(i => row[i] * matrix[(i * 64) + j])).ToArray();

    [Fact]
    public void ToModelBytes_writes_ir_opset_producer_and_sorted_metadata_and_ONNX_Runtime_computes_the_graph()
    {
        var graph = new OnnxGraphBuilder("clip_then_scale");
        graph.Reserve("y");
        var x = graph.AddInput("x", [OnnxDimension.Dynamic("N"), OnnxDimension.Fixed(3)]);
        var clipped = graph.Clip(x, 0f, 6f);
        graph.Node("Mul", [clipped, graph.AddInitializer("scale", [1f, 10f, 100f], 3)], output: "y");
        graph.AddOutput("y", [OnnxDimension.Dynamic("N"), OnnxDimension.Fixed(3)]);

        var bytes = graph.ToModelBytes(new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" });

        var proto = ModelProto.Parser.ParseFrom(bytes);
        Assert.Equal(8, proto.IrVersion);
        Assert.Equal(17, Assert.Single(proto.OpsetImport).Version);
        Assert.Equal("face2data", proto.ProducerName);
        Assert.Equal(["a", "b"], proto.MetadataProps.Select(p => p.Key));
        Assert.Equal(["Clip", "Mul"], graph.NodeOperators);
        Assert.Equal(3, graph.InitializerCount);
        using var session = new InferenceSession(bytes);
        using var input = OrtValue.CreateTensorValueFromMemory(new[] { -1f, 2.5f, 7f, 0.5f, -3f, 6f }, [2, 3]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["x"], [input], ["y"]);
        Assert.Equal([0f, 25f, 600f, 0.5f, 0f, 600f], outputs[0].GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void The_assembly_needs_no_TorchSharp()
    {
        var references = typeof(OnnxGraphBuilder).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();

        Assert.Contains("Google.Protobuf", references);
        Assert.Contains("Face2Data", references);
        Assert.DoesNotContain(references, name => name.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("Face2Data.Training", references);
        // Nor does anything it depends on bring TorchSharp into an application's output folder.
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "TorchSharp.dll")));
    }

    private static float[] Run(byte[] model, float[] input)
    {
        using var session = new InferenceSession(model);
        using var value = OrtValue.CreateTensorValueFromMemory(input, [1, input.Length]);
        using var options = new RunOptions();
        using var outputs = session.Run(options, ["x"], [value], ["y"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
