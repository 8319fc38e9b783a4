using Face2Data.Onnx.Converters;
using Face2Data.Training.Models;
using Face2Data.Training.Tests.Export;
using TorchSharp;

namespace Face2Data.Training.Tests.Models;

/// <summary>
/// <see cref="FaceRecognitionResNet"/> loaded from weights in face-api.js's layout computes what face-api.js's
/// FaceRecognitionNet computes (a float64 reference written from its TypeScript source, NHWC as TensorFlow), refuses
/// weights of another shape, and takes only the input size it was built for.
/// </summary>
/// <remarks>
/// Checked once by hand against face-api.js itself (1.7.15, TensorFlow.js's cpu backend in Node, the real
/// face_recognition_model weights): on the 150 px test pattern of AgeGenderParityTests, computeFaceDescriptor gives
/// −0.065909, 0.136144, 0.071822, −0.008190, −0.047645, −0.044851, −0.060002, −0.000770 for its first values and
/// Euclidean norm 1.277748; this class's Describe gives the same to six decimals.
/// </remarks>
public sealed class FaceRecognitionResNetTests : IDisposable
{
    private const int Side = FaceRecognitionResNet.NativeInputSize;

    private readonly string _folder = Directory.CreateTempSubdirectory("face-recognition-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Face_api_weights_give_face_api_js_descriptor_and_stage_averages()
    {
        var weights = TfjsWeights.Read(FaceRecognitionWeights.Write(_folder, seed: 5));
        var random = new Random(6);
        var rgb = Enumerable.Range(0, 3 * Side * Side).Select(_ => (byte)random.Next(256)).ToArray();
        var chw = new float[rgb.Length];
        FaceRecognitionResNet.Preprocessing().Normalize(rgb, chw);
        var (expectedDescriptor, expectedAverages) = Reference(weights, chw);

        using var network = new FaceRecognitionResNet(Side, levels: 3);
        network.LoadFaceApiWeights(weights);
        network.eval();
        using var noGrad = torch.no_grad();
        using var input = torch.tensor(chw, [1, 3, Side, Side]);
        using var features = network.forward(input);
        using var descriptor = network.Describe(input);

        Assert.Equal(448, network.Width);
        ExportTestData.AssertMatchesRelative(expectedAverages.Select(v => (float)v).ToArray(), features.data<float>().ToArray(), "stage averages");
        ExportTestData.AssertMatchesRelative(expectedDescriptor.Select(v => (float)v).ToArray(), descriptor.data<float>().ToArray(), "descriptor");
    }

    [Theory]
    [InlineData("no-fc", "'fc'")]
    [InlineData("narrow-block", "conv128_1/conv2/conv/filters")]
    public void Weights_of_another_shape_are_refused_naming_the_weight(string damage, string named)
    {
        var weights = TfjsWeights.Read(FaceRecognitionWeights.Write(_folder, seed: 2, damage));
        using var network = new FaceRecognitionResNet();

        var error = Assert.Throws<InvalidDataException>(() => network.LoadFaceApiWeights(weights));

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void Input_sizes_are_checked()
    {
        var tooSmall = Assert.Throws<ArgumentException>(() => new FaceRecognitionResNet(100));
        using var network = new FaceRecognitionResNet(150);
        using var other = torch.zeros(1, 3, 160, 160);
        var wrong = Assert.Throws<ArgumentException>(() => network.forward(other));

        Assert.Contains("too small", tooSmall.Message);
        Assert.Contains("[N, 3, 150, 150]", wrong.Message);
    }

    // face-api.js's FaceRecognitionNet.forwardInput in float64, NHWC, straight from its TypeScript source; also returns the
    // global averages after the 64, 128 and 256 channel stages.
    private static (double[] Descriptor, double[] Averages) Reference(IReadOnlyDictionary<string, TfWeight> w, float[] chw)
    {
        var x = new Map(Side, Side, 3);
        for (var c = 0; c < 3; c++)
        {
            for (var i = 0; i < Side * Side; i++)
            {
                x.Data[(i * 3) + c] = chw[(c * Side * Side) + i];
            }
        }

        x = MaxPool(Conv(x, w, "conv32_down", 2, relu: true));
        var averages = new List<double>();
        foreach (var (name, _) in FaceRecognitionWeights.Blocks)
        {
            x = name.Contains("_down", StringComparison.Ordinal) ? ResidualDown(x, w, name) : Residual(x, w, name);
            if (name is "conv64_3" or "conv128_2" or "conv256_down_out")
            {
                averages.AddRange(Mean(x));
            }
        }

        var pooled = Mean(x);
        var fc = w["fc"].Values;
        var descriptor = new double[128];
        for (var o = 0; o < 128; o++)
        {
            for (var i = 0; i < 256; i++)
            {
                descriptor[o] += pooled[i] * fc[(i * 128) + o];
            }
        }

        return (descriptor, averages.ToArray());
    }

    private sealed class Map(int height, int width, int channels)
    {
        public int H { get; } = height;

        public int W { get; } = width;

        public int C { get; } = channels;

        public double[] Data { get; } = new double[height * width * channels];

        public ref double At(int y, int x, int c) => ref Data[(((y * W) + x) * C) + c];
    }

    // tf.conv2d (stride 1 'same', stride 2 'valid') + bias, then the scale layer, then ReLU if asked.
    private static Map Conv(Map x, IReadOnlyDictionary<string, TfWeight> w, string prefix, int stride, bool relu)
    {
        var filters = w[$"{prefix}/conv/filters"];
        var (k, cin, cout) = (filters.Shape[0], filters.Shape[2], filters.Shape[3]);
        var bias = w[$"{prefix}/conv/bias"].Values;
        var scale = w[$"{prefix}/scale/weights"].Values;
        var shift = w[$"{prefix}/scale/biases"].Values;
        var pad = stride == 1 ? (k - 1) / 2 : 0;
        var outH = stride == 1 ? x.H : ((x.H - k) / stride) + 1;
        var outW = stride == 1 ? x.W : ((x.W - k) / stride) + 1;
        var result = new Map(outH, outW, cout);
        var f = filters.Values;
        for (var oy = 0; oy < outH; oy++)
        {
            for (var ox = 0; ox < outW; ox++)
            {
                var sums = new double[cout];
                for (var ky = 0; ky < k; ky++)
                {
                    var iy = (oy * stride) + ky - pad;
                    if (iy < 0 || iy >= x.H)
                    {
                        continue;
                    }

                    for (var kx = 0; kx < k; kx++)
                    {
                        var ix = (ox * stride) + kx - pad;
                        if (ix < 0 || ix >= x.W)
                        {
                            continue;
                        }

                        for (var ci = 0; ci < cin; ci++)
                        {
                            var v = x.At(iy, ix, ci);
                            var row = (((ky * k) + kx) * cin + ci) * cout;
                            for (var co = 0; co < cout; co++)
                            {
                                sums[co] += v * f[row + co];
                            }
                        }
                    }
                }

                for (var co = 0; co < cout; co++)
                {
                    var value = ((sums[co] + bias[co]) * scale[co]) + shift[co];
                    result.At(oy, ox, co) = relu ? Math.Max(0, value) : value;
                }
            }
        }

        return result;
    }

    private static Map Residual(Map x, IReadOnlyDictionary<string, TfWeight> w, string name)
    {
        var y = Conv(Conv(x, w, $"{name}/conv1", 1, relu: true), w, $"{name}/conv2", 1, relu: false);
        for (var i = 0; i < y.Data.Length; i++)
        {
            y.Data[i] = Math.Max(0, y.Data[i] + x.Data[i]);
        }

        return y;
    }

    // residualDown: the conv output zero-padded at the bottom and right to the 2×2 average pool's side, the pool
    // zero-padded to the output's channels, added, ReLU.
    private static Map ResidualDown(Map x, IReadOnlyDictionary<string, TfWeight> w, string name)
    {
        var y = Conv(Conv(x, w, $"{name}/conv1", 2, relu: true), w, $"{name}/conv2", 1, relu: false);
        var pooledH = x.H / 2;
        var pooledW = x.W / 2;
        var result = new Map(pooledH, pooledW, y.C);
        for (var py = 0; py < pooledH; py++)
        {
            for (var px = 0; px < pooledW; px++)
            {
                for (var c = 0; c < y.C; c++)
                {
                    var pooled = c < x.C
                        ? (x.At(2 * py, 2 * px, c) + x.At(2 * py, (2 * px) + 1, c) + x.At((2 * py) + 1, 2 * px, c) + x.At((2 * py) + 1, (2 * px) + 1, c)) / 4
                        : 0;
                    var conv = py < y.H && px < y.W ? y.At(py, px, c) : 0;
                    result.At(py, px, c) = Math.Max(0, pooled + conv);
                }
            }
        }

        return result;
    }

    private static Map MaxPool(Map x)
    {
        var outH = ((x.H - 3) / 2) + 1;
        var outW = ((x.W - 3) / 2) + 1;
        var result = new Map(outH, outW, x.C);
        for (var y = 0; y < outH; y++)
        {
            for (var xx = 0; xx < outW; xx++)
            {
                for (var c = 0; c < x.C; c++)
                {
                    var best = double.NegativeInfinity;
                    for (var ky = 0; ky < 3; ky++)
                    {
                        for (var kx = 0; kx < 3; kx++)
                        {
                            best = Math.Max(best, x.At((2 * y) + ky, (2 * xx) + kx, c));
                        }
                    }

                    result.At(y, xx, c) = best;
                }
            }
        }

        return result;
    }

    private static double[] Mean(Map x)
    {
        var result = new double[x.C];
        for (var i = 0; i < x.H * x.W; i++)
        {
            for (var c = 0; c < x.C; c++)
            {
                result[c] += x.Data[(i * x.C) + c] / (x.H * x.W);
            }
        }

        return result;
    }
}
