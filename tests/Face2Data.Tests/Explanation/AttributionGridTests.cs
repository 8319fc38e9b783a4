using Face2Data.Explanation;

namespace Face2Data.Tests.Explanation;

public sealed class AttributionGridTests
{
    [Fact]
    public void Cells_of_a_size_that_is_not_a_multiple_of_the_grid_differ_by_at_most_one_pixel()
    {
        Assert.Equal([0, 3, 6, 10], Enumerable.Range(0, 4).Select(c => AttributionGrid.CellStart(10, 3, c)));
        Assert.Equal([0, 0, 0, 1, 1, 1, 2, 2, 2, 2], Enumerable.Range(0, 10).Select(p => AttributionGrid.CellOf(10, 3, p)));
    }

    [Fact]
    public void Cell_of_each_pixel_agrees_with_the_cell_starts()
    {
        foreach (var (size, grid) in new[] { (64, 8), (96, 8), (32, 7), (50, 16), (17, 2) })
        {
            for (var p = 0; p < size; p++)
            {
                var cell = AttributionGrid.CellOf(size, grid, p);
                Assert.InRange(p, AttributionGrid.CellStart(size, grid, cell), AttributionGrid.CellStart(size, grid, cell + 1) - 1);
            }
        }
    }

    [Fact]
    public void Aggregate_gives_the_mean_of_each_cell()
    {
        // 4 × 4 pixels valued 0…15, row-major; cell (0,0) holds 0, 1, 4, 5.
        var pixels = Enumerable.Range(0, 16).Select(v => (double)v).ToArray();

        var cells = AttributionGrid.Aggregate(pixels, 4, 2);

        Assert.Equal([2.5f, 4.5f, 10.5f, 12.5f], cells);
    }

    [Fact]
    public void Aggregate_of_uneven_cells_averages_each_over_its_own_pixels()
    {
        // 3 × 3 pixels in a 2 × 2 grid: cells of 1 × 1, 1 × 2, 2 × 1 and 2 × 2 pixels.
        double[] pixels = [1, 2, 2, 3, 4, 4, 3, 4, 4];

        Assert.Equal([1f, 2f, 3f, 4f], AttributionGrid.Aggregate(pixels, 3, 2));
    }

    [Fact]
    public void Expand_keeps_exactly_the_pixels_of_the_kept_cells()
    {
        var pixels = new bool[16];

        AttributionGrid.Expand([true, false, false, true], 4, 2, pixels);

        Assert.Equal(
            [true, true, false, false, true, true, false, false, false, false, true, true, false, false, true, true],
            pixels);
    }

    [Theory]
    [InlineData(64, 1)]
    [InlineData(64, 17)]
    [InlineData(4, 8)]
    public void Grids_that_do_not_fit_are_refused_with_the_allowed_range(int size, int grid)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => AttributionGrid.Check(size, grid));

        Assert.Equal("grid", error.ParamName);
        Assert.Contains($"2 to {Math.Min(16, size)} cells per side", error.Message);
    }
}
