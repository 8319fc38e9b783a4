using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Training.Runtime;

/// <summary>The outcome of <see cref="ConvolutionSelfCheck.Run"/>.</summary>
/// <param name="WorstError">The largest difference from the reference, relative to the reference's largest magnitude.</param>
/// <param name="WorstCase">Which convolution and which output gave it.</param>
public readonly record struct SelfCheckResult(double WorstError, string WorstCase)
{
    /// <summary>Largest relative error a float32 convolution may show against the float64 reference.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>True when every case is within <see cref="Tolerance"/> (NaN fails).</summary>
    public bool Passed => WorstError <= Tolerance;

    /// <inheritdoc />
    public override string ToString() => $"worst relative error {WorstError:G3} ({WorstCase}), tolerance {Tolerance:G1}";
}

/// <summary>
/// Checks libtorch's float32 convolutions, as training runs them, against a float64 reference computed as unfold +
/// matrix product (which oneDNN does not take): forward outputs and input gradients of the 3×3 shapes that went wrong
/// on hosts with a zero CPUID cache leaf (24→24, 24→48 stride 2, 48→96 stride 2). Fixed inputs; tens of milliseconds.
/// </summary>
public static class ConvolutionSelfCheck
{
    private static readonly (int In, int Out, int Stride)[] Cases = [(24, 24, 1), (24, 48, 2), (48, 96, 2)];

    /// <summary>Runs every case and returns the worst.</summary>
    public static SelfCheckResult Run()
    {
        var worst = new SelfCheckResult(0, "none");
        var random = new Random(20_26_12_04);
        foreach (var (inChannels, outChannels, stride) in Cases)
        {
            var result = Check(random, inChannels, outChannels, stride);
            if (!(result.WorstError <= worst.WorstError))
            {
                worst = result;
            }
        }

        return worst;
    }

    private static SelfCheckResult Check(Random random, int inChannels, int outChannels, int stride)
    {
        const int batch = 3, side = 16, kernel = 3;
        using var scope = NewDisposeScope();
        var input = Normal(random, batch * inChannels * side * side, 1);
        var weight = Normal(random, outChannels * inChannels * kernel * kernel, 1 / Math.Sqrt(inChannels * kernel * kernel));
        var outSide = ((side + 2 - kernel) / stride) + 1;
        var upstream = Normal(random, batch * outChannels * outSide * outSide, 1);
        long[] inputShape = [batch, inChannels, side, side];
        long[] outputShape = [batch, outChannels, outSide, outSide];

        // Under test: float32 conv2d, forward and input gradient, the way the layers call it.
        var x = tensor(input, inputShape).requires_grad_();
        var output = nn.functional.conv2d(x, tensor(weight, [outChannels, inChannels, kernel, kernel]), strides: [stride, stride], padding: [1, 1]);
        output.mul(tensor(upstream, outputShape)).sum().backward();

        // Reference: float64 unfold + matrix product, gradient through unfold's own backward (a fold).
        var x64 = tensor(input, inputShape).to(ScalarType.Float64).requires_grad_();
        var columns = nn.functional.unfold(x64, kernel, padding: 1, stride: stride);
        var w64 = tensor(weight, [outChannels, inChannels * kernel * kernel]).to(ScalarType.Float64);
        var reference = w64.matmul(columns).view(outputShape);
        reference.mul(tensor(upstream, outputShape).to(ScalarType.Float64)).sum().backward();

        var name = $"{inChannels}→{outChannels} stride {stride}";
        var forward = RelativeError(output, reference);
        var gradient = RelativeError(x.grad!, x64.grad!);
        return forward >= gradient || double.IsNaN(forward)
            ? new SelfCheckResult(forward, $"{name} forward")
            : new SelfCheckResult(gradient, $"{name} input gradient");
    }

    private static double RelativeError(Tensor actual, Tensor reference)
    {
        var a = actual.detach().to(ScalarType.Float64).contiguous().data<double>().ToArray();
        var r = reference.detach().contiguous().data<double>().ToArray();
        double worst = 0, scale = 0;
        for (var i = 0; i < r.Length; i++)
        {
            var difference = Math.Abs(a[i] - r[i]);
            worst = double.IsNaN(difference) ? double.NaN : Math.Max(worst, difference);
            scale = Math.Max(scale, Math.Abs(r[i]));
            if (double.IsNaN(worst))
            {
                return double.NaN;
            }
        }

        return worst / Math.Max(scale, 1e-12);
    }

    private static float[] Normal(Random random, int count, double deviation)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            // Box–Muller; 1 - NextDouble() keeps the logarithm's argument above zero.
            var u = 1 - random.NextDouble();
            values[i] = (float)(deviation * Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }

        return values;
    }
}
