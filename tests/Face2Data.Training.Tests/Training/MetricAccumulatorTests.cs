using Face2Data.Schema;
using Face2Data.Training.Training;

namespace Face2Data.Training.Tests.Training;

public class MetricAccumulatorTests
{
    [Fact]
    public void Regression_metrics_match_hand_computation()
    {
        var metrics = new MetricAccumulator(AttributeHead.Regression("age", 0, 100));
        metrics.Add(1.0, [12f, 18f], [10f, 20f]);
        metrics.Add(3.0, [33f], [30f]);
        var result = metrics.Result();
        // Errors 2, -2, 3: MAE 7/3, MSE 17/3; targets mean 20 → SST 200 → R² = 1 - 17/200.
        Assert.Equal(7.0 / 3, result.Mae, 6);
        Assert.Equal(Math.Sqrt(17.0 / 3), result.Rmse, 6);
        Assert.Equal(1 - (17.0 / 200), result.R2, 6);
        Assert.Equal(2.0, result.Loss, 6);
        Assert.True(double.IsNaN(result.Accuracy));
    }

    [Fact]
    public void Categorical_accuracy_counts_argmax_hits()
    {
        var metrics = new MetricAccumulator(AttributeHead.Categorical("race", ["a", "b", "c"]));
        metrics.Add(0.5, [0.1f, 0.7f, 0.2f, 0.6f, 0.3f, 0.1f, 0.2f, 0.2f, 0.6f], [1f, 1f, 2f]);
        Assert.Equal(2.0 / 3, metrics.Result().Accuracy, 6);
    }
}
