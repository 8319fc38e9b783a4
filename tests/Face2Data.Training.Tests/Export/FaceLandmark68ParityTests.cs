using System.CommandLine;
using Face2Data.Cli;
using Face2Data.Cli.Commands;
using Face2Data.Detection;
using Face2Data.Onnx.Converters;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Training.Tests.Export;

/// <summary>
/// <see cref="FaceLandmark68Converter"/> on small stand-ins with the 68-point landmark network's layouts (TensorFlow.js
/// manifests of uint8-quantized weights) whose ONNX output must equal the network computed directly with TorchSharp
/// from the same TensorFlow-layout weights, and the <c>detector convert-landmarks</c> command that runs it.
/// </summary>
public sealed class FaceLandmark68ParityTests : IDisposable
{
    private const int Side = 112;

    private readonly string _folder = Directory.CreateTempSubdirectory("landmark-parity-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(4, 4)]
    [InlineData(3, 3)]
    public void The_converted_graph_computes_the_network_from_the_TensorFlow_weights(int blocks, int convolutions)
    {
        var manifest = FaceLandmark68Weights.Write(_folder, seed: 7, blocks, convolutions);
        var onnx = Path.Combine(_folder, "landmarks.onnx");
        FaceLandmark68Converter.Convert(manifest, onnx);
        var weights = TfjsWeights.Read(manifest);
        var random = new Random(8);
        var pixels = Enumerable.Range(0, 2 * 3 * Side * Side).Select(_ => (float)random.Next(256)).ToArray();

        var expected = Reference(weights, pixels, blocks, convolutions);
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(onnx, options);
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [2, 3, Side, Side]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [FaceLandmark68Landmarker.InputName], [input], [FaceLandmark68Landmarker.OutputName]);

        Assert.Equal([2L, 136], outputs[0].GetTensorTypeAndShape().Shape);
        var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        // Float rounding differs by about 1e-7 of the output's size; stride-2 convolutions padded at their start
        // (SAME_LOWER) instead of their end differ by about 1.3e-3 of it (tried).
        ExportTestData.AssertMatchesRelative(expected, actual);
    }

    [Fact]
    public async Task The_command_writes_the_model_or_says_in_one_line_what_is_wrong()
    {
        var manifest = FaceLandmark68Weights.Write(_folder, seed: 9);
        var onnx = Path.Combine(_folder, "cli.onnx");
        var root = new RootCommand { DetectorCommand.Create() };
        using var error = new StringWriter();

        var written = await CommandErrors.InvokeAsync(root, ["detector", "convert-landmarks", "--weights", manifest, "--out", onnx], error);
        var missing = await CommandErrors.InvokeAsync(root, ["detector", "convert-landmarks", "--weights", Path.Combine(_folder, "none.json"), "--out", onnx + ".2"], error);

        Assert.Equal(0, written);
        Assert.True(new FileInfo(onnx).Length > 0);
        Assert.Equal(CommandErrors.UserError, missing);
        Assert.StartsWith("face2data: No weights manifest at", error.ToString());
        Assert.False(File.Exists(onnx + ".2"));
    }

    // The network computed directly with TorchSharp's functions from the TensorFlow-layout weights, as face-api.js's
    // denseBlock4 / denseBlock3 write it: TensorFlow's "same" padding of a stride-2 3×3 convolution on an even side
    // adds one zero row and column at the end.
    private static float[] Reference(IReadOnlyDictionary<string, TfWeight> weights, float[] pixels, int blocks, int convolutions)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = (torch.tensor(pixels, [2, 3, Side, Side]) - torch.tensor(FaceLandmark68Weights.MeanRgb.ToArray(), [1, 3, 1, 1])) / 255f;
        for (var block = 0; block < blocks; block++)
        {
            var prefix = $"dense{block}";
            var padded = nn.functional.pad(x, [0, 1, 0, 1]);
            var out1 = block == 0
                ? nn.functional.relu(nn.functional.conv2d(padded, Tensor(weights[$"{prefix}/conv0/filters"]).permute(3, 2, 0, 1), Tensor(weights[$"{prefix}/conv0/bias"]), strides: [2, 2]))
                : nn.functional.relu(Separable(padded, weights, $"{prefix}/conv0", stride: 2, padding: 0));
            var outputs = new List<Tensor> { out1 };
            for (var k = 1; k < convolutions; k++)
            {
                var sum = outputs.Aggregate((a, b) => a + b);
                var input = k == 1 ? out1 : nn.functional.relu(sum);
                outputs.Add(Separable(input, weights, $"{prefix}/conv{k}", stride: 1, padding: 1));
            }

            x = nn.functional.relu(outputs.Aggregate((a, b) => a + b));
        }

        x = nn.functional.avg_pool2d(x, [x.shape[2], x.shape[3]], [2, 2]).flatten(1);
        x = torch.matmul(x, Tensor(weights["fc/weights"])) + Tensor(weights["fc/bias"]);
        return x.contiguous().data<float>().ToArray();
    }

    private static Tensor Separable(Tensor x, IReadOnlyDictionary<string, TfWeight> weights, string name, int stride, int padding)
    {
        var depthwise = weights[$"{name}/depthwise_filter"];
        var dw = Tensor(depthwise).permute(2, 3, 0, 1); // [kh, kw, C, 1] → [C, 1, kh, kw]
        x = nn.functional.conv2d(x, dw, null, strides: [stride, stride], padding: [padding, padding], groups: depthwise.Shape[2]);
        return nn.functional.conv2d(x, Tensor(weights[$"{name}/pointwise_filter"]).permute(3, 2, 0, 1), Tensor(weights[$"{name}/bias"]));
    }

    private static Tensor Tensor(TfWeight weight) => torch.tensor(weight.Values, weight.Shape.Select(d => (long)d).ToArray());
}
