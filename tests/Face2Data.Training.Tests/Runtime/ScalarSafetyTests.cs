using Face2Data.Training.Models;
using Face2Data.Training.Runtime;
using Face2Data.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Training.Tests.Runtime;

/// <summary>The replacements for TorchSharp's Scalar-leaking APIs compute exactly what the originals compute.</summary>
[Collection(TorchRandomCollection.Name)]
public class ScalarSafetyTests
{
    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.01, false)]
    [InlineData(0.01, true)]
    public void Adam_takes_the_same_steps_as_torchsharps_adam_and_saves_the_same_state(double weightDecay, bool amsgrad)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var start = randn(6, 4);
        using var ours = new TorchSharp.Modules.Parameter(start.clone());
        using var theirs = new TorchSharp.Modules.Parameter(start.clone());
        using var safe = new Face2Data.Training.Training.Adam([ours], 0.01, weightDecay, amsgrad);
#pragma warning disable RS0030 // the reference
        using var reference = optim.Adam([theirs], 0.01, weight_decay: weightDecay, amsgrad: amsgrad);
#pragma warning restore RS0030

        for (var step = 0; step < 5; step++)
        {
            var target = randn(6, 4);
            foreach (var (parameter, optimizer) in new[] { (ours, (optim.Optimizer)safe), (theirs, reference) })
            {
                optimizer.zero_grad();
                (parameter - target).pow(2).sum().backward();
                optimizer.step();
            }
        }

        Assert.Equal(theirs.data<float>().ToArray(), ours.data<float>().ToArray());
        Assert.NotEqual(start.data<float>().ToArray(), ours.data<float>().ToArray());
        Assert.Equal(SavedState(reference).ToArray(), SavedState(safe).ToArray());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void BatchNormalization_matches_torchsharps_batchnorm_in_training_and_eval_with_the_same_state_dict(int dimensions)
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
#pragma warning disable RS0030 // the reference
        using nn.Module<Tensor, Tensor> reference = dimensions == 4 ? nn.BatchNorm2d(3) : nn.BatchNorm1d(3);
#pragma warning restore RS0030
        using var ours = dimensions == 4 ? BatchNormalization.Of2d(3) : BatchNormalization.Of1d(3);
        ours.load_state_dict(reference.state_dict());
        long[] shape = dimensions == 4 ? [5, 3, 4, 4] : [5, 3];

        for (var step = 0; step < 3; step++)
        {
            var input = randn(shape).mul(randn(1).exp());
            Assert.Equal(reference.call(input).data<float>().ToArray(), ours.call(input).data<float>().ToArray());
        }

        Assert.Equal(reference.state_dict().Keys, ours.state_dict().Keys);
        Assert.Equal(3L, ours.num_batches_tracked!.item<long>());
        Assert.Equal(reference.state_dict()["running_var"].data<float>().ToArray(), ours.running_var!.data<float>().ToArray());
        reference.eval();
        ours.eval();
        var test = randn(shape);
        Assert.Equal(reference.call(test).data<float>().ToArray(), ours.call(test).data<float>().ToArray());
        Assert.Equal(3L, ours.num_batches_tracked!.item<long>());
    }

    [Fact]
    public void BatchNormalization_refuses_an_input_of_the_wrong_rank()
    {
        using var norm = BatchNormalization.Of2d(3);
        var error = Assert.Throws<ArgumentException>(() => norm.call(zeros(2, 3)));
        Assert.Equal("expected 4D input, but got 2D input.", error.Message);
    }

    [Fact]
    public void TensorArithmetic_gives_hand_computed_values()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, -2, 4 });
        var b = tensor(new float[] { 0.5f, 3, -1 });

        Assert.Equal(new float[] { 1.5f, 1, 3 }, a.Plus(b).data<float>().ToArray());
        Assert.Equal(new float[] { 3.5f, 0.5f, 6.5f }, a.Plus(2.5).data<float>().ToArray());
        Assert.Equal(new float[] { -1, -4, 2 }, a.Minus(2).data<float>().ToArray());
        Assert.Equal(new float[] { -3, 6, -12 }, a.Times(-3).data<float>().ToArray());
        Assert.Equal(new float[] { 0.25f, -0.5f, 1 }, a.DividedBy(4).data<float>().ToArray());
        Assert.Equal(new float[] { 1, -2, 4 }, a.data<float>().ToArray());
    }

    [Fact]
    public void Scalars_use_hands_the_value_to_the_call_and_returns_its_result()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 2, 3 });

        var result = Scalars.Use(0.5, half => a.mul(half));

        Assert.Equal(new float[] { 1, 1.5f }, result.data<float>().ToArray());
        Assert.Equal(1, Scalars.One.ToInt32());
    }

    private static byte[] SavedState(TorchSharp.Modules.OptimizerHelper optimizer)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            optimizer.save_state_dict(writer);
        }

        return stream.ToArray();
    }
}
