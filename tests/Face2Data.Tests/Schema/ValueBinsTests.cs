using Face2Data.Schema;

namespace Face2Data.Tests.Schema;

public sealed class ValueBinsTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(9.99, 0)]
    [InlineData(10, 1)]
    [InlineData(19.5, 1)]
    [InlineData(39.9, 3)]
    [InlineData(40, 4)]
    [InlineData(59, 4)]
    [InlineData(60, 5)]
    [InlineData(80, 6)]
    [InlineData(116, 6)]
    public void Age_bins_hold_their_lower_edge(double age, int bin) => Assert.Equal(bin, ValueBins.Age.IndexOf(age));

    [Fact]
    public void EqualWidth_splits_the_range_and_labels_the_bins()
    {
        var bins = ValueBins.EqualWidth(140, 210, 5);

        Assert.Equal([154.0, 168.0, 182.0, 196.0], bins.Edges);
        Assert.Equal(["<154", "154–168", "168–182", "182–196", "196+"], bins.Labels);
    }

    [Fact]
    public void For_uses_age_bins_only_for_a_head_named_age()
    {
        Assert.Same(ValueBins.Age, ValueBins.For(AttributeHead.Regression("age", 0, 116)));
        Assert.Equal(5, ValueBins.For(AttributeHead.Regression("height", 140, 210)).Count);
    }

    [Fact]
    public void Steps_of_ten_years_cover_the_age_head_with_integer_labels()
    {
        var bins = ValueBins.Steps(AttributeHead.Regression("age", 0, 116), 10);

        Assert.Equal(12, bins.Count);
        Assert.Equal(["0–9", "10–19"], bins.Labels.Take(2));
        Assert.Equal("110–116", bins.Labels[^1]);
        Assert.Equal(0, bins.IndexOf(9.9));
        Assert.Equal(1, bins.IndexOf(10));
        Assert.Equal(11, bins.IndexOf(116));
    }

    [Fact]
    public void Steps_start_at_a_multiple_of_the_width_below_the_minimum()
    {
        var bins = ValueBins.Steps(AttributeHead.Regression("height", 145, 172), 10);

        Assert.Equal(["140–149", "150–159", "160–169", "170–172"], bins.Labels);
        Assert.Throws<ArgumentException>(() => ValueBins.Steps(AttributeHead.Regression("x", 0, 5), 10));
    }
}
