using Face2Data.Explanation;

namespace Face2Data.Tests.Explanation;

public sealed class OcclusionSensitivityTests
{
    [Theory]
    [InlineData(32, 8, 4, new[] { 0, 4, 8, 12, 16, 20, 24 })]
    [InlineData(10, 4, 4, new[] { 0, 4, 6 })] // the last patch is flush with the edge, so every pixel is covered
    [InlineData(8, 8, 1, new[] { 0 })]
    [InlineData(5, 2, 2, new[] { 0, 2, 3 })]
    public void Patch_positions_cover_the_axis(int size, int patch, int stride, int[] expected)
    {
        Assert.Equal(expected, OcclusionSensitivity.Positions(size, patch, stride));
    }

    [Fact]
    public void Patches_that_are_the_cells_give_each_cell_its_own_drop()
    {
        const int size = 8;
        var weights = Enumerable.Range(0, size * size).Select(p => (double)(p % 5) - 1).ToArray();
        var function = MaskedFunction.Additive(size, weights);

        var attribution = new OcclusionSensitivity(new OcclusionOptions { Grid = 2, Patch = 4, Stride = 4 }).Explain(function);

        for (var cell = 0; cell < 4; cell++)
        {
            var (top, left) = (cell / 2 * 4, cell % 2 * 4);
            var expected = Enumerable.Range(top, 4).Sum(y => Enumerable.Range(left, 4).Sum(x => weights[(y * size) + x]));
            Assert.Equal(expected, attribution.Cells[cell], 5);
        }

        Assert.Equal(4 + 2, attribution.Evaluations);
        Assert.Equal(weights.Sum(), attribution.Output);
        Assert.Equal(0, attribution.BaselineOutput);
    }

    [Fact]
    public void Overlapping_patches_credit_each_pixel_with_the_mean_drop_of_the_patches_covering_it()
    {
        // 4 × 4 input, 2 × 2 patches moved by 1 (3 × 3 positions). Only pixel (0,0) matters: hiding it drops f by 1.
        // Pixel (0,0) is under 1 patch (mean drop 1); (0,1) and (1,0) under 2, one hiding (0,0) (0.5); (1,1) under 4,
        // one hiding (0,0) (0.25). Cell (0,0) of a 2 × 2 grid = (1 + 0.5 + 0.5 + 0.25) / 4; the other cells 0.
        var function = new MaskedFunction(4, mask => mask[0] ? 1 : 0);

        var attribution = new OcclusionSensitivity(new OcclusionOptions { Grid = 2, Patch = 2, Stride = 1 }).Explain(function);

        Assert.Equal([0.5625f, 0f, 0f, 0f], attribution.Cells);
        Assert.Equal(9 + 2, attribution.Evaluations);
    }

    [Fact]
    public void A_region_that_works_against_the_output_gets_a_negative_attribution()
    {
        var function = new MaskedFunction(4, mask => mask[15] ? -2 : 0);

        var attribution = new OcclusionSensitivity(new OcclusionOptions { Grid = 2, Patch = 2, Stride = 2 }).Explain(function);

        // Hiding the bottom-right patch (the bottom-right cell) changes f(x) = −2 to 0: a drop of −2 for its pixels.
        Assert.Equal([0f, 0f, 0f, -2f], attribution.Cells);
    }

    [Theory]
    [InlineData(0, 4, "Patch", "1 to 16 px")]
    [InlineData(17, 4, "Patch", "1 to 16 px")]
    [InlineData(4, 5, "Stride", "1 to 4 px")]
    [InlineData(4, 0, "Stride", "1 to 4 px")]
    public void Patches_and_strides_that_do_not_fit_are_refused(int patch, int stride, string parameter, string range)
    {
        var method = new OcclusionSensitivity(new OcclusionOptions { Grid = 4, Patch = patch, Stride = stride });

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => method.Explain(MaskedFunction.Additive(16, new double[256])));

        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(range, error.Message);
    }
}
