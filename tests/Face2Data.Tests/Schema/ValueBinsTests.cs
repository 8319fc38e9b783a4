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
}
