using Face2Data.Schema;
using Face2Data.Training.Training;
using TorchSharp;

namespace Face2Data.Training.Tests.Training;

public class MultiTaskLossTests
{
    [Fact]
    public void Total_is_the_weighted_sum_of_hand_computed_head_losses()
    {
        var schema = new AttributeSchema(
        [
            AttributeHead.Regression("age", 0, 100, lossWeight: 4, loss: "l1"),
            AttributeHead.Categorical("gender", ["male", "female"], lossWeight: 0.5f),
        ]);
        var loss = new MultiTaskLoss(schema);
        // Age predicted at 0.3 and 0.5 of the range for 20 and 60 years: |0.3-0.2| and |0.5-0.6| → mean 0.1.
        using var age = torch.tensor(new[] { 0.3f, 0.5f }).view(2, 1);
        // Logits (0, ln 3) → p(female) = 0.75; targets female, male → CE = (-ln 0.75 - ln 0.25) / 2.
        using var gender = torch.tensor(new[] { 0f, MathF.Log(3), 0f, MathF.Log(3) }).view(2, 2);
        using var labels = torch.tensor(new[] { 20f, 1f, 60f, 0f }).view(2, 2);
        var (total, perHead) = loss.Compute([age, gender], labels);
        var expectedCrossEntropy = (-Math.Log(0.75) - Math.Log(0.25)) / 2;
        Assert.Equal(0.1, perHead[0].item<float>(), 5);
        Assert.Equal(expectedCrossEntropy, perHead[1].item<float>(), 5);
        Assert.Equal((4 * 0.1) + (0.5 * expectedCrossEntropy), total.item<float>(), 5);
    }

    [Fact]
    public void Distribution_loss_is_lowest_at_the_true_value()
    {
        var schema = new AttributeSchema([AttributeHead.Regression("age", 0, 20, loss: "distribution")]);
        var loss = new MultiTaskLoss(schema, distributionSigma: 1.5);
        using var labels = torch.tensor(new[] { 10f }).view(1, 1);
        var centers = torch.arange(0, 21, 1, dtype: torch.ScalarType.Float32);
        float LossAt(float peak) => loss.Compute([(-0.5 * ((centers - peak) / 1.5).pow(2)).unsqueeze(0)], labels).Total.item<float>();
        Assert.True(LossAt(10) < LossAt(12));
        Assert.True(LossAt(12) < LossAt(16));
    }
}
