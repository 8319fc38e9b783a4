using Face2Data.Explanation;

namespace Face2Data.Tests.Explanation;

public sealed class ExplanationOptionsTests
{
    [Theory]
    [InlineData(64, 16, 8)]
    [InlineData(96, 24, 12)]
    [InlineData(32, 8, 4)]
    public void Occlusion_defaults_to_a_patch_of_two_cells_moved_by_one(int inputSize, int patch, int stride)
    {
        var method = Assert.IsType<OcclusionSensitivity>(new ExplanationOptions().CreateMethod(inputSize));

        Assert.Equal((8, patch, stride), (method.Grid, method.Options.Patch, method.Options.Stride));
    }

    [Fact]
    public void A_patch_smaller_than_a_cell_gets_a_stride_no_larger_than_itself()
    {
        var method = Assert.IsType<OcclusionSensitivity>(new ExplanationOptions { Patch = 4 }.CreateMethod(64));

        Assert.Equal((4, 4), (method.Options.Patch, method.Options.Stride));
    }

    [Fact]
    public void Shap_takes_its_budget_seed_and_grid()
    {
        var method = Assert.IsType<KernelShap>(new ExplanationOptions { Method = AttributionMethod.Shap, Grid = 6, Samples = 300, Seed = 9 }.CreateMethod(64));

        Assert.Equal((6, 300, 9), (method.Grid, method.Options.Samples, method.Options.Seed));
    }

    [Theory]
    [InlineData("occlusion", AttributionMethod.Occlusion)]
    [InlineData("SHAP", AttributionMethod.Shap)]
    [InlineData(" Shap ", AttributionMethod.Shap)]
    public void Method_names_are_read_in_any_case(string name, AttributionMethod expected)
    {
        Assert.Equal(expected, ExplanationOptions.ParseMethod(name));
        Assert.Equal(name.Trim().ToLowerInvariant(), ExplanationOptions.NameOf(expected));
    }

    [Theory]
    [InlineData("gradcam")]
    [InlineData("")]
    public void Unknown_method_names_are_refused_with_the_known_ones(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => ExplanationOptions.ParseMethod(name));

        Assert.Contains("expected one of occlusion, shap", error.Message);
    }

    [Fact]
    public void Unknown_baseline_names_are_refused_with_the_known_ones()
    {
        Assert.Equal(AttributionBaseline.Mean, ExplanationOptions.ParseBaseline("Mean"));
        var error = Assert.Throws<ArgumentException>(() => ExplanationOptions.ParseBaseline("zero"));

        Assert.Contains("expected one of blur, mean", error.Message);
    }

    [Theory]
    [InlineData(20, null, null, 512, 32, "grid")]
    [InlineData(8, 65, null, 512, 32, "Patch")]
    [InlineData(8, 8, 9, 512, 32, "Stride")]
    [InlineData(8, null, null, 512, 0, "BatchSize")]
    public void Occlusion_settings_that_do_not_fit_a_64_px_model_are_refused_by_name(int grid, int? patch, int? stride, int samples, int batch, string parameter)
    {
        var options = new ExplanationOptions { Grid = grid, Patch = patch, Stride = stride, Samples = samples, BatchSize = batch };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => options.Validate(64));

        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void A_shap_budget_below_one_sample_per_cell_is_refused_but_ignored_by_occlusion()
    {
        var options = new ExplanationOptions { Samples = 10 };

        options.Validate(64);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => (options with { Method = AttributionMethod.Shap }).Validate(64));
        Assert.Equal("Samples", error.ParamName);
    }
}
