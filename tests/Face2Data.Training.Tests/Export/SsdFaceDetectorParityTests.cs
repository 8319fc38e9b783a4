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
/// <see cref="SsdFaceDetectorConverter"/> on a small stand-in with the SSD MobileNet v1's layout (a TensorFlow.js
/// manifest of uint8-quantized weights and 5,118 float32 anchors) whose ONNX boxes and scores must equal the network
/// computed directly with TorchSharp from the same TensorFlow-layout weights, and the <c>detector convert</c> command,
/// which tells this manifest from the Tiny Face Detector's. Decoding on hand-computed numbers and refusing damaged
/// files are tested in Face2Data.Onnx.Tests.
/// </summary>
public sealed class SsdFaceDetectorParityTests : IDisposable
{
    private const int Side = 512;
    private const float Epsilon = 0.0010000000474974513f;
    private readonly string _folder = Directory.CreateTempSubdirectory("ssd-converter-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_converted_graph_computes_the_network_and_decoding_from_the_TensorFlow_weights()
    {
        var manifest = SsdFaceDetectorWeights.Write(_folder, seed: 3);
        var onnx = Path.Combine(_folder, "ssd.onnx");
        SsdFaceDetectorConverter.Convert(manifest, onnx);
        var weights = TfjsWeights.Read(manifest);
        var random = new Random(4);
        var pixels = Enumerable.Range(0, 3 * Side * Side).Select(_ => (float)random.Next(256)).ToArray();

        var (expectedBoxes, expectedScores) = Reference(weights, pixels);
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(onnx, options);
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [1, 3, Side, Side]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [SsdFaceDetector.InputName], [input], [SsdFaceDetector.BoxesName, SsdFaceDetector.ScoresName]);

        Assert.Equal([1L, SsdFaceDetectorWeights.AnchorCount, 4], outputs[0].GetTensorTypeAndShape().Shape);
        Assert.Equal([1L, SsdFaceDetectorWeights.AnchorCount], outputs[1].GetTensorTypeAndShape().Shape);
        var boxes = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        var scores = outputs[1].GetTensorDataAsSpan<float>().ToArray();
        Assert.True(expectedScores.Max() - expectedScores.Min() > 0.1f, "the reference scores hardly vary, so the comparison would prove little");
        // Float rounding differs by about 1e-7 of the values' size.
        ExportTestData.AssertMatchesRelative(expectedBoxes, boxes, "boxes");
        Assert.True(ExportTestData.MaxAbsDifference(expectedScores, scores) < 1e-4f, $"scores: max difference {ExportTestData.MaxAbsDifference(expectedScores, scores)}");
    }

    [Fact]
    public async Task The_command_converts_the_SSD_manifest_to_the_ssd_model()
    {
        var manifest = SsdFaceDetectorWeights.Write(_folder, seed: 6);
        var onnx = Path.Combine(_folder, "cli.onnx");
        var root = new RootCommand { DetectorCommand.Create() };
        using var error = new StringWriter();

        var written = await CommandErrors.InvokeAsync(root, ["detector", "convert", "--weights", manifest, "--out", onnx], error);

        Assert.Equal(0, written);
        Assert.Equal(string.Empty, error.ToString());
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(onnx, options);
        Assert.Equal([SsdFaceDetector.BoxesName, SsdFaceDetector.ScoresName], session.OutputMetadata.Keys.Order(StringComparer.Ordinal));
    }

    // The SSD MobileNet v1 computed directly: the same layers, written with TorchSharp's functions from the
    // TensorFlow-layout weights (TensorFlow's "same" padding puts the odd pixel at the end), then face-api.js's decoding.
    private static (float[] Boxes, float[] Scores) Reference(IReadOnlyDictionary<string, TfWeight> weights, float[] pixels)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = (torch.tensor(pixels, [1, 3, Side, Side]) / 127.5f) - 1f;
        x = Pointwise(x, weights, "MobilenetV1/Conv2d_0_pointwise", 2);
        Tensor? block11 = null;
        for (var block = 1; block <= 13; block++)
        {
            x = Depthwise(x, weights, $"MobilenetV1/Conv2d_{block}_depthwise", block is 2 or 4 or 6 or 12 ? 2 : 1);
            x = Pointwise(x, weights, $"MobilenetV1/Conv2d_{block}_pointwise", 1);
            block11 = block == 11 ? x : block11;
        }

        var maps = new List<Tensor> { block11!, x };
        for (var layer = 0; layer < 8; layer++)
        {
            x = Pointwise(x, weights, $"Prediction/Conv2d_{layer}_pointwise", layer % 2 == 0 ? 1 : 2);
            if (layer % 2 == 1)
            {
                maps.Add(x);
            }
        }

        var encoding = torch.cat(maps.Select((m, i) => Predictor(m, weights, $"Prediction/BoxPredictor_{i}/BoxEncodingPredictor", 4)).ToList(), 1)[0];
        var logits = torch.cat(maps.Select((m, i) => Predictor(m, weights, $"Prediction/BoxPredictor_{i}/ClassPredictor", 3)).ToList(), 1)[0];
        var anchors = Tensor(weights["Output/extra_dim"])[0];
        var (ymin, xmin, ymax, xmax) = (anchors[.., 0], anchors[.., 1], anchors[.., 2], anchors[.., 3]);
        var (height, width) = (ymax - ymin, xmax - xmin);
        var centreY = ymin + (height / 2) + (encoding[.., 0] / 10 * height);
        var centreX = xmin + (width / 2) + (encoding[.., 1] / 10 * width);
        var halfHeight = torch.exp(encoding[.., 2] / 5) * height / 2;
        var halfWidth = torch.exp(encoding[.., 3] / 5) * width / 2;
        var boxes = torch.stack([centreX - halfWidth, centreY - halfHeight, centreX + halfWidth, centreY + halfHeight], 1) * Side;
        var scores = torch.sigmoid(logits[.., 1]);
        return (boxes.contiguous().data<float>().ToArray(), scores.contiguous().data<float>().ToArray());
    }

    private static Tensor Pointwise(Tensor x, IReadOnlyDictionary<string, TfWeight> weights, string prefix, int stride)
    {
        var filters = weights[$"{prefix}/weights"];
        var y = nn.functional.conv2d(SamePad(x, filters.Shape[0], stride), Tensor(filters).permute(3, 2, 0, 1), Tensor(weights[$"{prefix}/convolution_bn_offset"]), strides: [stride, stride]);
        return y.clamp(0, 6);
    }

    private static Tensor Depthwise(Tensor x, IReadOnlyDictionary<string, TfWeight> weights, string prefix, int stride)
    {
        var filters = weights[$"{prefix}/depthwise_weights"];
        var y = nn.functional.conv2d(SamePad(x, filters.Shape[0], stride), Tensor(filters).permute(2, 3, 0, 1), null, strides: [stride, stride], groups: filters.Shape[2]);
        Tensor Norm(string name) => Tensor(weights[$"{prefix}/BatchNorm/{name}"]).reshape(1, -1, 1, 1);
        y = ((y - Norm("moving_mean")) / torch.sqrt(Norm("moving_variance") + Epsilon) * Norm("gamma")) + Norm("beta");
        return y.clamp(0, 6);
    }

    private static Tensor Predictor(Tensor x, IReadOnlyDictionary<string, TfWeight> weights, string prefix, int fields)
    {
        var y = nn.functional.conv2d(x, Tensor(weights[$"{prefix}/weights"]).permute(3, 2, 0, 1), Tensor(weights[$"{prefix}/biases"]));
        return y.permute(0, 2, 3, 1).reshape(1, -1, fields);
    }

    // TensorFlow's "same": output ceil(size / stride), the padding split with the odd pixel after.
    private static Tensor SamePad(Tensor x, int kernel, int stride)
    {
        var size = (int)x.shape[2];
        var total = Math.Max((((size + stride - 1) / stride) - 1) * stride + kernel - size, 0);
        var (before, after) = (total / 2, total - (total / 2));
        return nn.functional.pad(x, [before, after, before, after]);
    }

    private static Tensor Tensor(TfWeight weight) => torch.tensor(weight.Values, weight.Shape.Select(d => (long)d).ToArray());
}
