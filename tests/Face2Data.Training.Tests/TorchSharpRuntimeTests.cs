using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Training.Tests;

// Proves the native TorchSharp stack (libLibTorchSharp.so + libtorch) loads and computes on this machine; on
// Debian 12 that needs build/LibTorchSharpCompat.targets (docs/libtorch-on-debian12.md).
public sealed class TorchSharpRuntimeTests
{
    [Fact]
    public void Linear_layer_forward_and_backward_give_hand_computed_values()
    {
        using var scope = NewDisposeScope();
        var w = tensor(new float[] { 1, 2, 3, -1 }, new long[] { 2, 2 }, requires_grad: true);
        var x = tensor(new float[] { 1, 2 }, new long[] { 2, 1 }, requires_grad: true);
        var b = tensor(new float[] { 0.5f, 1 }, new long[] { 2, 1 }, requires_grad: true);

        // z = W x + b = [1*1 + 2*2 + 0.5, 3*1 - 1*2 + 1] = [5.5, 2]; y = sum(z^2) = 30.25 + 4 = 34.25.
        var y = (w.matmul(x) + b).pow(2).sum();
        y.backward();

        // dy/dz = 2z = [11, 4]; dy/dW = dz x^T; dy/db = dz; dy/dx = W^T dz = [1*11 + 3*4, 2*11 - 1*4].
        // Every value is exact in float32, so equality is exact.
        Assert.Equal(34.25f, y.item<float>());
        Assert.Equal(new float[] { 11, 22, 4, 8 }, w.grad!.data<float>().ToArray());
        Assert.Equal(new float[] { 11, 4 }, b.grad!.data<float>().ToArray());
        Assert.Equal(new float[] { 23, 18 }, x.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Conv2d_and_BatchNorm2d_forward_and_backward_give_expected_shapes_and_statistics()
    {
        using var scope = NewDisposeScope();
        manual_seed(1234);
        using var conv = nn.Conv2d(3, 4, 3, padding: 1);
        using var norm = nn.BatchNorm2d(4);
        var input = randn(2, 3, 8, 8);

        var output = norm.call(conv.call(input));
        var loss = output.pow(2).sum();
        loss.backward();

        Assert.Equal(new long[] { 2, 4, 8, 8 }, output.shape);
        // Training-mode batch norm with weight 1 and bias 0 leaves each channel with mean 0 and (biased) variance 1.
        Assert.All(output.mean(new long[] { 0, 2, 3 }).data<float>().ToArray(), m => Assert.Equal(0, m, 1e-4));
        Assert.All(output.var(new long[] { 0, 2, 3 }, unbiased: false).data<float>().ToArray(), v => Assert.Equal(1, v, 1e-3));
        // loss = sum(gamma * x_hat)^2, so dloss/dgamma = 2 * sum(x_hat^2) = 2 * 128 values per channel (x_hat has variance 1).
        Assert.All(norm.weight!.grad!.data<float>().ToArray(), g => Assert.Equal(256, g, 0.1));
        Assert.Equal(new long[] { 4, 3, 3, 3 }, conv.weight!.grad!.shape);
        Assert.Equal(new long[] { 4 }, conv.bias!.grad!.shape);
        Assert.Equal(new long[] { 4 }, norm.bias!.grad!.shape);
    }
}
