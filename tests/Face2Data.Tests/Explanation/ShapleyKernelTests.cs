using Face2Data.Explanation;

namespace Face2Data.Tests.Explanation;

public sealed class ShapleyKernelTests
{
    [Theory]
    [InlineData(4, 1, 0.25)] // 3 / (C(4,1) · 1 · 3) = 3 / 12
    [InlineData(4, 2, 0.125)] // 3 / (C(4,2) · 2 · 2) = 3 / 24
    [InlineData(4, 3, 0.25)]
    [InlineData(64, 1, 1.0 / 64)] // 63 / (64 · 1 · 63)
    [InlineData(5, 2, 4.0 / 60)] // 4 / (10 · 2 · 3)
    public void Weight_is_the_Shapley_kernel(int features, int size, double expected)
    {
        Assert.Equal(expected, ShapleyKernel.Weight(features, size), 12);
    }

    [Fact]
    public void Weight_of_the_empty_and_the_full_coalition_is_infinite()
    {
        Assert.Equal(double.PositiveInfinity, ShapleyKernel.Weight(8, 0));
        Assert.Equal(double.PositiveInfinity, ShapleyKernel.Weight(8, 8));
    }

    [Fact]
    public void Weight_of_a_middle_coalition_of_many_features_stays_finite_and_matches_the_formula()
    {
        var expected = 63.0 / (ShapleyKernel.Binomial(64, 32) * 32 * 32);

        var weight = ShapleyKernel.Weight(64, 32);

        Assert.True(Math.Abs(weight - expected) <= 1e-9 * expected, $"{weight} vs {expected}");
    }

    [Fact]
    public void Size_weight_is_the_kernel_times_the_number_of_coalitions_of_that_size()
    {
        for (var size = 1; size < 10; size++)
        {
            Assert.Equal(ShapleyKernel.Weight(10, size) * ShapleyKernel.Binomial(10, size), ShapleyKernel.SizeWeight(10, size), 10);
        }

        Assert.Equal(1.0, ShapleyKernel.SizeWeight(64, 1), 12);
        Assert.Equal(63.0 / 1024, ShapleyKernel.SizeWeight(64, 32), 12);
    }

    [Theory]
    [InlineData(10, 5, 252)]
    [InlineData(64, 1, 64)]
    [InlineData(64, 2, 2016)]
    [InlineData(7, 0, 1)]
    [InlineData(7, 7, 1)]
    public void Binomial_counts_subsets(int n, int k, double expected)
    {
        Assert.Equal(expected, ShapleyKernel.Binomial(n, k));
    }

    [Fact]
    public void Sizes_outside_the_game_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ShapleyKernel.Weight(4, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShapleyKernel.Weight(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShapleyKernel.SizeWeight(4, -1));
    }
}
