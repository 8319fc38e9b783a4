using Face2Data.Reporting.Evaluation;
using Face2Data.Schema;

namespace Face2Data.Reporting.Tests.Evaluation;

public sealed class RegressionMetricsTests
{
    [Fact]
    public void From_gives_hand_computed_mae_rmse_r2_and_mean_error()
    {
        // y = 1, 2, 3, 4; ŷ = 1.5, 2, 2, 5; errors ŷ − y = 0.5, 0, −1, 1.
        // MAE = 2.5/4 = 0.625; MSE = (0.25 + 0 + 1 + 1)/4 = 0.5625, RMSE = 0.75; mean error = 0.5/4 = 0.125.
        // ȳ = 2.5, Σ(y − ȳ)² = 2.25 + 0.25 + 0.25 + 2.25 = 5, R² = 1 − 2.25/5 = 0.55.
        var metrics = RegressionMetrics.From([1f, 2f, 3f, 4f], [1.5f, 2f, 2f, 5f]);

        Assert.Equal(4, metrics.Count);
        Assert.Equal(0.625, metrics.Mae, 12);
        Assert.Equal(0.75, metrics.Rmse, 12);
        Assert.Equal(0.55, metrics.R2, 12);
        Assert.Equal(0.125, metrics.MeanError, 12);
    }

    [Fact]
    public void R2_of_constant_truth_is_one_when_perfect_and_zero_otherwise_like_scikit_learn()
    {
        Assert.Equal(1, RegressionMetrics.From([3f, 3f], [3f, 3f]).R2);
        Assert.Equal(0, RegressionMetrics.From([3f, 3f], [3f, 4f]).R2);
    }

    [Fact]
    public void From_no_values_is_undefined()
    {
        var metrics = RegressionMetrics.From([], []);

        Assert.Equal(0, metrics.Count);
        Assert.True(double.IsNaN(metrics.Mae) && double.IsNaN(metrics.Rmse) && double.IsNaN(metrics.R2));
    }

    [Fact]
    public void BinError_gives_the_mae_of_each_age_bin()
    {
        // Ages 5 (error 1), 12 (error 3), 18 (error 1), 85 (error 10); the other bins are empty.
        var bins = BinError.For(ValueBins.Age, [5f, 12f, 18f, 85f], [6f, 9f, 19f, 75f]);

        Assert.Equal(["<10", "10–20", "20–30", "30–40", "40–60", "60–80", "80+"], bins.Select(b => b.Bin));
        Assert.Equal([1, 2, 0, 0, 0, 0, 1], bins.Select(b => b.Count));
        Assert.Equal(1.0, bins[0].Mae, 12);
        Assert.Equal(2.0, bins[1].Mae, 12);
        Assert.True(double.IsNaN(bins[2].Mae));
        Assert.Equal(10.0, bins[6].Mae, 12);
    }
}
