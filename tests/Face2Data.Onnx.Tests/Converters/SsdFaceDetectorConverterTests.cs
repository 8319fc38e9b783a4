using Face2Data.Detection;
using Face2Data.Onnx.Converters;
using Microsoft.ML.OnnxRuntime;

namespace Face2Data.Onnx.Tests.Converters;

/// <summary>
/// <see cref="SsdFaceDetectorConverter"/> on a small stand-in with the SSD MobileNet v1's layout (a TensorFlow.js
/// manifest of uint8-quantized weights and float32 anchors): TensorFlow's padding, the box decoding on hand-computed
/// numbers, and refusing files that are not those weights. Training.Tests checks the whole graph against the network
/// computed with TorchSharp.
/// </summary>
public sealed class SsdFaceDetectorConverterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ssd-converter-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(512, 3, 2, 256, 0, 1)]
    [InlineData(512, 3, 1, 512, 1, 1)]
    [InlineData(512, 1, 1, 512, 0, 0)]
    [InlineData(2, 3, 2, 1, 0, 1)]
    [InlineData(1, 3, 2, 1, 1, 1)]
    [InlineData(5, 3, 2, 3, 1, 1)]
    public void SamePadding_is_TensorFlows_with_the_odd_pixel_at_the_end(int size, int kernel, int stride, int output, int before, int after)
    {
        Assert.Equal((output, before, after), SsdFaceDetectorConverter.SamePadding(size, kernel, stride));
    }

    [Fact]
    public void Boxes_are_decoded_around_the_anchors_as_face_api_does_and_scores_are_the_face_class_sigmoid()
    {
        var manifest = SsdFaceDetectorWeights.Write(_folder, seed: 2, variant: "constant");
        var onnx = Path.Combine(_folder, "ssd.onnx");
        SsdFaceDetectorConverter.Convert(manifest, onnx);
        var anchors = TfjsWeights.Read(manifest)["Output/extra_dim"].Values;

        var (boxes, scores) = Run(onnx, new float[3 * 512 * 512]);

        Assert.Equal(SsdFaceDetectorWeights.AnchorCount * 4, boxes.Length);
        // Every anchor predicts (ty, tx, th, tw) = (1, −2, 0.5, −1) and logits (0, 2, −1): centre y + 1/10 of the
        // height, centre x − 2/10 of the width, height × e^(0.5/5), width × e^(−1/5); score sigmoid(2).
        Assert.Equal(SsdFaceDetectorWeights.AnchorCount, scores.Length);
        Assert.All(scores, s => Assert.Equal(1 / (1 + Math.Exp(-2)), s, 5));
        foreach (var i in new[] { 0, 1, 3071, 3072, 5117 })
        {
            var (ymin, xmin, ymax, xmax) = (anchors[4 * i], anchors[(4 * i) + 1], anchors[(4 * i) + 2], anchors[(4 * i) + 3]);
            var (h, w) = (ymax - ymin, xmax - xmin);
            var (cy, cx) = (ymin + (h / 2) + (h / 10), xmin + (w / 2) - (2 * w / 10));
            var (halfH, halfW) = (Math.Exp(0.1) * h / 2, Math.Exp(-0.2) * w / 2);
            double[] expected = [512 * (cx - halfW), 512 * (cy - halfH), 512 * (cx + halfW), 512 * (cy + halfH)];
            for (var k = 0; k < 4; k++)
            {
                Assert.Equal(expected[k], boxes[(4 * i) + k], 2);
            }
        }
    }

    [Fact]
    public void Another_input_size_lays_the_trained_anchor_shapes_on_its_own_grid()
    {
        var manifest = SsdFaceDetectorWeights.Write(_folder, seed: 7, variant: "constant");
        var onnx = Path.Combine(_folder, "ssd384.onnx");
        var anchors = TfjsWeights.Read(manifest)["Output/extra_dim"].Values;
        SsdFaceDetectorConverter.Convert(manifest, onnx, inputSize: 384);

        var (boxes, scores) = Run(onnx, new float[3 * 384 * 384], 384);

        // 384 pixels: maps of 24, 12, 6, 3, 2 and 1 cells → 24² × 3 + (12² + 6² + 3² + 2² + 1²) × 6 anchors.
        Assert.Equal((24 * 24 * 3) + (194 * 6), scores.Length);
        // The first anchor of block 11's first cell: the trained shape (height, width), centred at 0.5 / 24, decoded
        // with the constant encoding (ty, tx, th, tw) = (1, −2, 0.5, −1).
        var (h, w) = (anchors[2] - anchors[0], anchors[3] - anchors[1]);
        var (cy, cx) = ((0.5 / 24) + (h / 10), (0.5 / 24) - (2 * w / 10));
        var (halfH, halfW) = (Math.Exp(0.1) * h / 2, Math.Exp(-0.2) * w / 2);
        double[] expected = [384 * (cx - halfW), 384 * (cy - halfH), 384 * (cx + halfW), 384 * (cy + halfH)];
        for (var k = 0; k < 4; k++)
        {
            Assert.Equal(expected[k], boxes[k], 2);
        }
    }

    [Fact]
    public void Laying_the_anchors_on_the_trained_grids_gives_the_trained_anchors_and_irregular_anchors_are_refused()
    {
        var regular = TfjsWeights.Read(SsdFaceDetectorWeights.Write(_folder, seed: 8))["Output/extra_dim"].Values;
        var layers = SsdFaceDetectorWeights.Grids.Zip(SsdFaceDetectorWeights.AnchorsPerCell).ToList();

        var laid = SsdFaceDetectorConverter.LayAnchors(regular, layers, layers);

        Assert.Equal(regular.Length, laid.Length);
        Assert.All(regular.Zip(laid), pair => Assert.Equal(pair.First, pair.Second, 5));
        var irregular = SsdFaceDetectorWeights.Write(_folder, seed: 8, variant: "irregular-anchors");
        var error = Assert.Throws<InvalidDataException>(() => SsdFaceDetectorConverter.Convert(irregular, Path.Combine(_folder, "x.onnx"), inputSize: 320));
        Assert.Contains("not a regular grid", error.Message);
    }

    [Fact]
    public void The_manifest_tells_the_SSD_from_the_Tiny_Face_Detector()
    {
        var ssd = SsdFaceDetectorWeights.Write(_folder, seed: 1);
        var tiny = TinyFaceDetectorWeights.Write(_folder, seed: 1);

        Assert.True(SsdFaceDetectorConverter.IsSsdMobileNet(TfjsWeights.Read(ssd)));
        Assert.False(SsdFaceDetectorConverter.IsSsdMobileNet(TfjsWeights.Read(tiny)));
    }

    [Theory]
    [InlineData("no-anchors", "'Output/extra_dim'")]
    [InlineData("few-anchors", "expected [1, 5118, 4]")]
    [InlineData("no-block7", "'MobilenetV1/Conv2d_7_depthwise/depthwise_weights'")]
    [InlineData("odd-predictor", "'Prediction/BoxPredictor_2/BoxEncodingPredictor' is not a 1×1 predictor of 4 values")]
    public void Files_that_are_not_the_SSDs_weights_are_InvalidDataException_and_nothing_is_written(string variant, string message)
    {
        var manifest = SsdFaceDetectorWeights.Write(_folder, seed: 4, variant);
        var onnx = Path.Combine(_folder, "out.onnx");

        var error = Assert.Throws<InvalidDataException>(() => SsdFaceDetectorConverter.Convert(manifest, onnx));

        Assert.Contains(message, error.Message);
        Assert.False(File.Exists(onnx));
    }

    [Fact]
    public void Quantized_filters_are_stored_as_uint8_levels_and_give_the_float32_graphs_outputs_bit_for_bit()
    {
        var weights = TfjsWeights.Read(SsdFaceDetectorWeights.Write(_folder, seed: 3));
        var floats = weights.ToDictionary(p => p.Key, p => p.Value with { Quantized = null });
        var compact = Path.Combine(_folder, "compact.onnx");
        var plain = Path.Combine(_folder, "plain.onnx");
        File.WriteAllBytes(compact, SsdFaceDetectorConverter.Build(weights));
        File.WriteAllBytes(plain, SsdFaceDetectorConverter.Build(floats));

        // 47 filters (15 convolutions, 14 depthwise, 18 predictors), each as uint8 levels; the float32 build has none.
        static int Bytes(string path) => Protobuf.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph.Initializer
            .Count(t => t.DataType == (int)Protobuf.TensorProto.Types.DataType.Uint8);
        Assert.Equal(47, Bytes(compact));
        Assert.Equal(0, Bytes(plain));

        var pixels = new float[3 * 512 * 512];
        var random = new Random(5);
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = random.Next(256);
        }

        var (compactBoxes, compactScores) = Run(compact, pixels);
        var (plainBoxes, plainScores) = Run(plain, pixels);
        Assert.Equal(plainBoxes, compactBoxes);
        Assert.Equal(plainScores, compactScores);
    }

    private static (float[] Boxes, float[] Scores) Run(string onnx, float[] pixels, int side = 512)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(onnx, options);
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [1, 3, side, side]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [SsdFaceDetector.InputName], [input], [SsdFaceDetector.BoxesName, SsdFaceDetector.ScoresName]);
        Assert.Equal(3, outputs[0].GetTensorTypeAndShape().Shape.Length);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray());
    }
}
