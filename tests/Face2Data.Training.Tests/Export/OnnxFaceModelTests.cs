using Face2Data.Inference;
using Face2Data.Onnx;
using Face2Data.Training.Export;
using static Face2Data.Training.Tests.Export.ExportTestData;

namespace Face2Data.Training.Tests.Export;

/// <summary>OnnxFaceModel (Core) against real ONNX files, which only this project can write.</summary>
public sealed class OnnxFaceModelTests
{
    [Fact]
    public void Load_rejects_an_onnx_model_without_a_manifest()
    {
        var bytes = HandBuiltModel([("age", 1), ("gender", 2)], new Dictionary<string, string> { ["author"] = "someone" });

        var error = Assert.Throws<InvalidDataException>(() => OnnxFaceModel.Load(bytes));

        Assert.StartsWith("The model data is not a usable face2data model: The model has no face2data manifest", error.Message);
    }

    [Fact]
    public void Load_rejects_a_model_missing_a_head_output()
    {
        var bytes = HandBuiltModel([("age", 1), ("sex", 2)], Manifest(TwoHeads).ToMetadata());

        var error = Assert.Throws<InvalidDataException>(() => OnnxFaceModel.Load(bytes));

        Assert.EndsWith("The model has no output for head 'gender'. Outputs: age, sex.", error.Message);
    }

    [Fact]
    public void Load_rejects_a_head_output_of_the_wrong_width()
    {
        var bytes = HandBuiltModel([("age", 1), ("gender", 3)], Manifest(TwoHeads).ToMetadata());

        var error = Assert.Throws<InvalidDataException>(() => OnnxFaceModel.Load(bytes));

        Assert.EndsWith("Output 'gender' is [-1, 3]; the schema needs float [N, 2].", error.Message);
    }

    [Fact]
    public void Predict_of_a_hand_built_model_gives_expected_numbers()
    {
        // age = mean of channel 0; gender = softmax(mean of channel 1, mean of channel 2).
        var bytes = HandBuiltModel([("age", 1), ("gender", 2)], Manifest(TwoHeads).ToMetadata());
        using var model = OnnxFaceModel.Load(bytes);
        var plane = InputSize * InputSize;
        var input = new float[2 * 3 * plane];
        Array.Fill(input, 10f, 0, plane);
        Array.Fill(input, 1f, plane, plane);
        Array.Fill(input, 2f, 5 * plane, plane);

        var outputs = model.Predict(input, 2);

        Assert.Equal([10f, 0f], outputs["age"]);
        var e = MathF.Exp(1f);
        Assert.Equal([e / (e + 1), 1 / (e + 1), 1 / (1 + MathF.Exp(2f)), MathF.Exp(2f) / (1 + MathF.Exp(2f))], outputs["gender"], new ToleranceComparer(1e-6f));
    }

    [Fact]
    public void Predict_rejects_input_of_the_wrong_length()
    {
        using var model = OnnxFaceModel.Load(HandBuiltModel([("age", 1), ("gender", 2)], Manifest(TwoHeads).ToMetadata()));

        var error = Assert.Throws<ArgumentException>(() => model.Predict(new float[3 * InputSize * InputSize], 2));

        Assert.StartsWith($"Expected 2 × 3 × {InputSize} × {InputSize} = {2 * 3 * InputSize * InputSize} floats, got {3 * InputSize * InputSize}.", error.Message);
    }

    [Fact]
    public void Predict_from_several_threads_gives_the_same_results_as_one_thread()
    {
        using var net = TrainedNet(TwoHeads, seed: 91);
        using var model = OnnxFaceModel.Load(OnnxExporter.ExportToBytes(net, TwoHeads, InputSize, Manifest(TwoHeads).ToMetadata()), new OnnxFaceModelOptions { IntraOpThreads = 1 });
        var inputs = Enumerable.Range(0, 8).Select(i => RandomInput(2, seed: 200 + i)).ToArray();
        var sequential = inputs.Select(input => model.Predict(input, 2)).ToArray();

        var parallel = new HeadOutputs[inputs.Length];
        Parallel.For(0, inputs.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = model.Predict(inputs[i], 2));

        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(sequential[i]["age"], parallel[i]["age"]);
            Assert.Equal(sequential[i]["gender"], parallel[i]["gender"]);
        }

        Assert.NotEqual(sequential[0]["age"], sequential[1]["age"]);
    }

    // image → per-channel means [N, 3] → one Gemm per output picking channels, softmax for widths above 1.
    private static byte[] HandBuiltModel(IReadOnlyList<(string Name, int Width)> outputs, IReadOnlyDictionary<string, string> metadata)
    {
        var graph = new OnnxGraphBuilder();
        var batch = OnnxDimension.Dynamic("N");
        var image = graph.AddInput("image", [batch, OnnxDimension.Fixed(3), OnnxDimension.Fixed(InputSize), OnnxDimension.Fixed(InputSize)]);
        var means = graph.Flatten(graph.GlobalAveragePool(image));
        var channel = 0;
        foreach (var (name, width) in outputs)
        {
            var selector = new float[width * 3];
            for (var row = 0; row < width; row++)
            {
                selector[(row * 3) + Math.Min(channel++, 2)] = 1f;
            }

            var picked = graph.Gemm(means, graph.AddInitializer("select", selector, width, 3), null);
            if (width > 1)
            {
                graph.Softmax(picked, output: name);
            }
            else
            {
                graph.Identity(picked, output: name);
            }

            graph.AddOutput(name, [batch, OnnxDimension.Fixed(width)]);
        }

        return graph.ToModelBytes(metadata);
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => MathF.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
