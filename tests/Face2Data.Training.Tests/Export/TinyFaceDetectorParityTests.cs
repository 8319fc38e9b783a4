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
/// <see cref="TinyFaceDetectorConverter"/> on a small stand-in with the Tiny Face Detector's layout (a TensorFlow.js
/// manifest of uint8-quantized weights, one float32) whose ONNX output must equal the network computed directly with
/// TorchSharp from the same TensorFlow-layout weights, and the <c>detector convert</c> command that runs it.
/// Reading the weights and refusing damaged files is tested in Face2Data.Onnx.Tests.
/// </summary>
public sealed class TinyFaceDetectorParityTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tiny-converter-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_converted_graph_computes_the_network_from_the_TensorFlow_weights()
    {
        var manifest = TinyFaceDetectorWeights.Write(_folder, seed: 3);
        var onnx = Path.Combine(_folder, "tiny.onnx");
        TinyFaceDetectorConverter.Convert(manifest, onnx);
        var weights = TfjsWeights.Read(manifest);
        // 96×64: not square, and odd sizes after the unpadded first convolution, so every SAME_UPPER pool pads.
        const int Height = 64;
        const int Width = 96;
        var random = new Random(4);
        var pixels = Enumerable.Range(0, 3 * Height * Width).Select(_ => (float)random.Next(256)).ToArray();

        var expected = Reference(weights, pixels, Height, Width);
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(onnx, options);
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [1, 3, Height, Width]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [TinyFaceDetector.InputName], [input], [TinyFaceDetector.OutputName]);

        Assert.Equal([1L, 25, Height / 32, Width / 32], outputs[0].GetTensorTypeAndShape().Shape);
        var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        // Float rounding differs by about 1e-7 of the output's size; a pool padded at the wrong end (SAME_LOWER) by 1e-2.
        ExportTestData.AssertMatchesRelative(expected, actual);
    }

    [Fact]
    public async Task The_command_writes_the_model_or_says_in_one_line_what_is_wrong()
    {
        var manifest = TinyFaceDetectorWeights.Write(_folder, seed: 6);
        var onnx = Path.Combine(_folder, "cli.onnx");
        var root = new RootCommand { DetectorCommand.Create() };
        using var error = new StringWriter();

        var written = await CommandErrors.InvokeAsync(root, ["detector", "convert", "--weights", manifest, "--out", onnx], error);
        var missing = await CommandErrors.InvokeAsync(root, ["detector", "convert", "--weights", Path.Combine(_folder, "none.json"), "--out", onnx + ".2"], error);

        Assert.Equal(0, written);
        Assert.True(new FileInfo(onnx).Length > 0);
        Assert.Equal(CommandErrors.UserError, missing);
        Assert.StartsWith("face2data: No weights manifest at", error.ToString());
        Assert.False(File.Exists(onnx + ".2"));
    }

    // The Tiny Face Detector computed directly: the same layers, written with TorchSharp's functions from the
    // TensorFlow-layout weights (TensorFlow's "same" max pool pads its end with −∞).
    private static float[] Reference(IReadOnlyDictionary<string, TfWeight> weights, float[] pixels, int height, int width)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = (torch.tensor(pixels, [1, 3, height, width]) - torch.tensor(TinyFaceDetectorWeights.MeanRgb.ToArray(), [1, 3, 1, 1])) / 255f;
        x = nn.functional.leaky_relu(Conv(x, weights["conv0/filters"], weights["conv0/bias"]), 0.1);
        x = SamePool(x, 2);
        for (var block = 1; block <= 5; block++)
        {
            var depthwise = weights[$"conv{block}/depthwise_filter"];
            var dw = Tensor(depthwise).permute(2, 3, 0, 1); // [kh, kw, C, 1] → [C, 1, kh, kw]
            x = nn.functional.conv2d(x, dw, null, padding: [1, 1], groups: depthwise.Shape[2]);
            x = nn.functional.leaky_relu(Conv(x, weights[$"conv{block}/pointwise_filter"], weights[$"conv{block}/bias"]), 0.1);
            x = SamePool(x, block == 5 ? 1 : 2);
        }

        x = Conv(x, weights["conv8/filters"], weights["conv8/bias"]);
        return x.contiguous().data<float>().ToArray();
    }

    private static Tensor Conv(Tensor x, TfWeight filters, TfWeight bias) =>
        nn.functional.conv2d(x, Tensor(filters).permute(3, 2, 0, 1), Tensor(bias));

    private static Tensor SamePool(Tensor x, int stride)
    {
        var (h, w) = (x.shape[2], x.shape[3]);
        var padH = Math.Max(((((h + stride - 1) / stride) - 1) * stride) + 2 - h, 0);
        var padW = Math.Max(((((w + stride - 1) / stride) - 1) * stride) + 2 - w, 0);
        var padded = nn.functional.pad(x, [0, padW, 0, padH], PaddingModes.Constant, double.NegativeInfinity);
        return nn.functional.max_pool2d(padded, [2, 2], [stride, stride]);
    }

    private static Tensor Tensor(TfWeight weight) => torch.tensor(weight.Values, weight.Shape.Select(d => (long)d).ToArray());
}
