using Face2Data.Schema;
using Face2Data.Training.Training;
using TorchSharp;

namespace Face2Data.Training.Tests.Training;

/// <summary><see cref="DistillationLoss"/>: cross-entropy against the teacher's probabilities, L1 to its plain values, weighted per head.</summary>
public class DistillationLossTests
{
    [Fact]
    public void The_loss_is_the_weighted_cross_entropy_and_L1_against_the_teachers_targets()
    {
        var schema = new AttributeSchema(
        [
            AttributeHead.Categorical("gender", ["female", "male"], lossWeight: 2),
            AttributeHead.Regression("age", 0, 100),
        ]);
        using var scope = torch.NewDisposeScope();
        var teacherLogits = torch.tensor(new[] { 2f, 0f, -1f, 1f }, [2, 2]);
        var teacherAge = torch.tensor(new[] { 0.3f, 0.5f }, [2, 1]);
        var targets = new[] { DistillationLoss.Target(schema.Heads[0], teacherLogits), DistillationLoss.Target(schema.Heads[1], teacherAge) };
        var studentLogits = torch.tensor(new[] { 0f, 0f, 1f, -1f }, [2, 2]);
        var studentAge = torch.tensor(new[] { 0.1f, 0.9f }, [2, 1]);

        var loss = new DistillationLoss(schema).Compute([studentLogits, studentAge], targets).item<float>();

        // Teacher probabilities softmax(2, 0) and softmax(-1, 1); the student's log-probabilities are log 0.5 twice,
        // then log softmax(1, -1). Age: |0.1 - 0.3| and |0.9 - 0.5|, mean 0.3.
        static double Softmax(double a, double b) => Math.Exp(a) / (Math.Exp(a) + Math.Exp(b));
        var (p0, p1) = (Softmax(2, 0), Softmax(-1, 1));
        var (q1a, q1b) = (Softmax(1, -1), Softmax(-1, 1));
        var crossEntropy = ((-(p0 * Math.Log(0.5)) - ((1 - p0) * Math.Log(0.5))) + (-(p1 * Math.Log(q1a)) - ((1 - p1) * Math.Log(q1b)))) / 2;
        Assert.Equal((2 * crossEntropy) + 0.3, loss, 5);
        Assert.Equal(p0, targets[0][0, 0].item<float>(), 6);
        Assert.Equal(0.5f, targets[1][1, 0].item<float>());
    }
}
