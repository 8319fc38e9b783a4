using Face2Data.Explanation;

namespace Face2Data.Tests.Explanation;

public sealed class KernelShapTests
{
    [Fact]
    public void An_additive_function_gets_each_cell_its_own_contribution_from_a_sampled_budget()
    {
        // For f = Σ w_p over kept pixels, every cell's Shapley value is the sum of its pixels' weights, and the
        // weighted fit recovers it exactly whatever coalitions are drawn.
        const int size = 16;
        var random = new Random(4);
        var weights = Enumerable.Range(0, size * size).Select(_ => random.NextDouble() - 0.3).ToArray();
        var function = MaskedFunction.Additive(size, weights);
        var expected = AttributionGrid.Aggregate(weights, size, 8).Select(mean => mean * 4.0).ToArray(); // 2 × 2 pixels per cell

        var attribution = new KernelShap(new KernelShapOptions { Grid = 8, Samples = 200, Seed = 1 }).Explain(function);

        for (var cell = 0; cell < 64; cell++)
        {
            Assert.Equal(expected[cell], attribution.Cells[cell], 4);
        }

        Assert.Equal(weights.Sum(), attribution.Output, 9);
        Assert.Equal(0, attribution.BaselineOutput);
        Assert.Equal(202, attribution.Evaluations);
        Assert.Equal(202, function.Evaluations);
    }

    [Fact]
    public void A_game_small_enough_is_enumerated_and_gets_its_exact_Shapley_values()
    {
        // Cells 0 and 1 only count together (1 when both are kept); cell 2 adds 0.5 alone; cell 3 is a dummy.
        // Shapley values: 0.5, 0.5, 0.5, 0.
        const int size = 4;
        bool Kept(bool[] mask, int cell) => mask[(cell / 2 * 2 * size) + (cell % 2 * 2)];
        var function = new MaskedFunction(size, mask => (Kept(mask, 0) && Kept(mask, 1) ? 1 : 0) + (Kept(mask, 2) ? 0.5 : 0));

        var attribution = new KernelShap(new KernelShapOptions { Grid = 2, Samples = 64 }).Explain(function);

        Assert.Equal([0.5, 0.5, 0.5, 0], attribution.Cells.Select(v => Math.Round(v, 6)));
        Assert.Equal(14 + 2, attribution.Evaluations); // 2⁴ − 2 coalitions, then f(x) and f(baseline)
    }

    [Fact]
    public void Attributions_of_a_nonlinear_function_sum_to_the_output_minus_the_baseline_output()
    {
        const int size = 12;
        var random = new Random(7);
        var weights = Enumerable.Range(0, size * size).Select(_ => random.NextDouble()).ToArray();
        var function = new MaskedFunction(size, mask => 1 / (1 + Math.Exp(-(mask.Select((k, p) => k ? weights[p] : 0).Sum() - 30) / 8)));

        var attribution = new KernelShap(new KernelShapOptions { Grid = 6, Samples = 100, Seed = 2 }).Explain(function);

        Assert.True(attribution.Output - attribution.BaselineOutput > 0.5);
        Assert.Equal(attribution.Output - attribution.BaselineOutput, attribution.Cells.Sum(v => (double)v), 5);
    }

    [Fact]
    public void The_masks_are_evaluated_in_batches_of_the_asked_size()
    {
        var function = MaskedFunction.Additive(8, new double[64]);

        new KernelShap(new KernelShapOptions { Grid = 4, Samples = 100, BatchSize = 32 }).Explain(function);

        Assert.Equal(102, function.Evaluations);
        Assert.Equal(1 + 4, function.Calls); // f(x) and f(baseline) together, then 32 + 32 + 32 + 4
    }

    [Fact]
    public void Enumerated_coalitions_carry_the_kernel_weights()
    {
        var coalitions = KernelShap.Coalitions(4, 100, seed: 0);

        Assert.Equal(14, coalitions.Count);
        Assert.Equal(14, coalitions.Select(Key).Distinct().Count());
        Assert.Equal(1.0, coalitions.Sum(c => c.Weight), 12);
        var single = coalitions.First(c => c.Size == 1).Weight;
        Assert.All(coalitions, c => Assert.Equal(c.Size == 2 ? single / 2 : single, c.Weight, 12)); // 0.125 / 0.25
    }

    [Fact]
    public void Sampled_coalitions_fill_the_budget_without_repeats_in_complementary_pairs()
    {
        var coalitions = KernelShap.Coalitions(64, 512, seed: 1);

        Assert.Equal(512, coalitions.Count);
        var keys = coalitions.Select(Key).ToHashSet();
        Assert.Equal(512, keys.Count);
        Assert.All(coalitions, c => Assert.InRange(c.Size, 1, 63));
        Assert.Equal(1.0, coalitions.Sum(c => c.Weight), 9);
        var unpaired = coalitions.Count(c => c.Size != 32 && !keys.Contains(Key(new Coalition([.. c.Members.Select(m => !m)], 0))));
        Assert.True(unpaired <= 1, $"{unpaired} coalitions lack their complement");
    }

    [Fact]
    public void A_budget_that_covers_the_smallest_sizes_enumerates_them_and_samples_the_rest_by_kernel_weight()
    {
        // Sizes 1 and 63 hold about 21% of the kernel's mass: 2000 × 0.21 covers their 128 coalitions, so all are
        // taken; size 2 (and 62) is then drawn about 8 times as often as the unpaired middle size 32.
        var coalitions = KernelShap.Coalitions(64, 2000, seed: 3);

        Assert.Equal(2000, coalitions.Count);
        Assert.Equal(128, coalitions.Count(c => c.Size is 1 or 63));
        Assert.True(coalitions.Count(c => c.Size is 2 or 62) > 4 * coalitions.Count(c => c.Size == 32));
        Assert.Equal(1.0, coalitions.Sum(c => c.Weight), 9);
        var single = coalitions.First(c => c.Size == 1).Weight;
        Assert.All(coalitions.Where(c => c.Size is 1 or 63), c => Assert.Equal(single, c.Weight, 12));
    }

    [Fact]
    public void The_same_seed_gives_the_same_coalitions_and_another_seed_others()
    {
        var first = KernelShap.Coalitions(64, 300, seed: 5).Select(Key).ToList();
        var again = KernelShap.Coalitions(64, 300, seed: 5).Select(Key).ToList();
        var other = KernelShap.Coalitions(64, 300, seed: 6).Select(Key).ToList();

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Solve_without_noise_returns_the_generating_values_under_the_efficiency_constraint()
    {
        double[] phi = [0.3, -0.1, 0.2, 0.05];
        var coalitions = KernelShap.Coalitions(4, 100, seed: 0);
        var values = coalitions.Select(c => 0.1 + c.Members.Select((m, i) => m ? phi[i] : 0).Sum()).ToArray();

        var solved = KernelShap.Solve(coalitions, values, output: 0.1 + phi.Sum(), baselineOutput: 0.1);

        Assert.Equal(phi, solved.Select(v => Math.Round(v, 9)));
    }

    [Theory]
    [InlineData(8, 63, "64")]
    [InlineData(8, 100_001, "100000")]
    [InlineData(4, 10, "16")]
    public void A_budget_below_one_sample_per_cell_or_above_the_limit_is_refused(int grid, int samples, string bound)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new KernelShap(new KernelShapOptions { Grid = grid, Samples = samples }).Explain(MaskedFunction.Additive(16, new double[256])));

        Assert.Equal("Samples", error.ParamName);
        Assert.Contains(bound, error.Message);
    }

    [Fact]
    public void Cancellation_stops_between_batches()
    {
        using var cancel = new CancellationTokenSource();
        var function = new MaskedFunction(8, _ =>
        {
            cancel.Cancel();
            return 0;
        });

        Assert.Throws<OperationCanceledException>(() => new KernelShap(new KernelShapOptions { Grid = 4, Samples = 100 }).Explain(function, cancel.Token));
        Assert.Equal(2, function.Evaluations);
    }

    private static string Key(Coalition coalition) => string.Concat(coalition.Members.Select(m => m ? '1' : '0'));
}
