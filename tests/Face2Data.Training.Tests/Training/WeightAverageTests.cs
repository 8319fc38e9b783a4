using Face2Data.Training.Models;
using Face2Data.Training.Training;
using TorchSharp;

namespace Face2Data.Training.Tests.Training;

/// <summary><see cref="WeightAverage"/>: the exact mean of the snapshots goes back into the model; BatchNorm is refused.</summary>
[Collection(TorchRandomCollection.Name)]
public sealed class WeightAverageTests
{
    [Fact]
    public void The_model_gets_the_mean_of_the_snapshots_and_other_weights_stay()
    {
        using var model = ModelSpec.For("face-resnet", TestSchemas.TwoHeads, 150, """{"Levels":1,"Tower":{"Hidden":8}}""").Create();
        var heads = ((FaceResNet)model).HeadLayers.SelectMany(h => h.parameters()).ToArray();
        var trunkBefore = ((FaceResNet)model).Trunk.parameters().First().data<float>().ToArray();
        using var average = new WeightAverage(model, heads);

        foreach (var value in new[] { 1f, 2f, 6f })
        {
            using (torch.no_grad())
            {
                foreach (var p in heads)
                {
                    p.fill_(value);
                }
            }

            average.Add();
        }

        average.CopyToModel();

        Assert.Equal(3, average.Count);
        Assert.All(heads, p => Assert.All(p.data<float>().ToArray(), v => Assert.Equal(3f, v)));
        Assert.Equal(trunkBefore, ((FaceResNet)model).Trunk.parameters().First().data<float>().ToArray());
    }

    [Fact]
    public void Nothing_to_copy_before_a_snapshot()
    {
        using var model = ModelSpec.For("face-resnet", TestSchemas.TwoHeads, 150, """{"Levels":1}""").Create();
        using var average = new WeightAverage(model, ((FaceResNet)model).HeadLayers.SelectMany(h => h.parameters()));

        var error = Assert.Throws<InvalidOperationException>(average.CopyToModel);

        Assert.Contains("No weights were added", error.Message);
    }

    [Fact]
    public void A_model_with_BatchNorm_is_refused()
    {
        using var model = ModelSpec.For("face-resnet", TestSchemas.TwoHeads, 150, """{"Levels":1,"Tower":{"Hidden":8,"BatchNorm":true}}""").Create();

        var error = Assert.Throws<ArgumentException>(() => new WeightAverage(model, model.parameters()));

        Assert.Contains("without BatchNorm", error.Message);
    }
}
