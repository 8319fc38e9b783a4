using Face2Data.Detection;
using Face2Data.Explanation;
using Face2Data.Inference;
using OpenCvSharp;
using Xunit.Abstractions;

namespace Face2Data.Training.Tests.Explanation;

/// <summary>
/// The explanations of a model trained on <see cref="QuadrantTextures"/>, whose label lies in the top-right quadrant
/// only: a method that credits the wrong pixels (shifted, mirrored, transposed, or not tied to the model at all)
/// fails these tests.
/// </summary>
[Collection(TorchRandomCollection.Name)]
public sealed class FaceExplainerFidelityTests(QuadrantModelFixture fixture, ITestOutputHelper output) : IClassFixture<QuadrantModelFixture>
{
    private const int Grid = 8;
    private const int ShapSamples = 1024;

    [Fact]
    public void The_model_learnt_the_quadrant_task()
    {
        output.WriteLine($"validation accuracy {fixture.ValidationAccuracy:P1}, training {fixture.TrainingSeconds:F1} s");
        Assert.True(fixture.ValidationAccuracy >= 0.95, $"validation accuracy {fixture.ValidationAccuracy:P1}");
    }

    [Theory]
    [InlineData(AttributionMethod.Occlusion)]
    [InlineData(AttributionMethod.Shap)]
    public void Most_positive_attribution_lies_in_the_quadrant_the_label_depends_on(AttributionMethod method)
    {
        foreach (var (image, label) in TestImages())
        {
            using (image)
            {
                var map = Explain(fixture.Trained, image, label, method);
                var share = PositiveShareInTarget(map);
                output.WriteLine($"{method} {label}: f(x) {map.Output:F3}, f(b) {map.BaselineOutput:F3}, target share {share:P1}");
                Assert.True(share >= 0.7, $"{method}, class {label}: {share:P1} of the positive attribution lies in the top-right quadrant");
            }
        }
    }

    [Fact]
    public void Shap_attributions_sum_to_the_output_minus_the_baseline_output_computed_independently()
    {
        using var model = OnnxFaceModel.Load(fixture.Trained);
        foreach (var (image, label) in TestImages())
        {
            using (image)
            {
                var map = Explain(fixture.Trained, image, label, AttributionMethod.Shap);
                var pixels = model.Manifest.Preprocessing.ToRgbPixels(image);
                var fx = Probability(model, pixels, label);
                var fBaseline = Probability(model, BaselineImage.Create(pixels, model.InputSize, AttributionBaseline.Blur), label);

                Assert.Equal(fx, map.Output, 5);
                Assert.Equal(fBaseline, map.BaselineOutput, 5);
                Assert.True(Math.Abs(fx - fBaseline) > 0.05, $"f(x) {fx:F3} and f(baseline) {fBaseline:F3} hardly differ");
                Assert.True(Math.Abs(map.Sum - (fx - fBaseline)) <= 0.05 * Math.Abs(fx - fBaseline), $"sum {map.Sum:F4} vs f(x) − f(baseline) {fx - fBaseline:F4}");
            }
        }
    }

    [Theory]
    [InlineData(AttributionMethod.Occlusion)]
    [InlineData(AttributionMethod.Shap)]
    public void An_untrained_model_of_the_same_architecture_gives_a_clearly_different_map(AttributionMethod method)
    {
        foreach (var (image, label) in TestImages())
        {
            using (image)
            {
                var trained = Explain(fixture.Trained, image, label, method);
                var untrained = Explain(fixture.Untrained, image, label, method);
                var correlation = Spearman(trained.Values, untrained.Values);
                output.WriteLine($"{method} {label}: Spearman {correlation:F3}, untrained target share {PositiveShareInTarget(untrained):P1}");
                Assert.True(correlation < 0.5, $"{method}, class {label}: Spearman rank correlation {correlation:F3} between the trained and the untrained model's maps");
            }
        }
    }

    private static IEnumerable<(Mat Image, string Label)> TestImages()
    {
        // Images the model never saw (another seed), striped everywhere: the stripes outside the target quadrant
        // look the same but do not count, so only a method that follows the model finds the right ones.
        var random = new Random(2024);
        for (var i = 0; i < 4; i++)
        {
            yield return (QuadrantTextures.Draw(random, stripedTarget: true, otherStripes: 1), "striped");
        }
    }

    private static AttributionMap Explain(byte[] model, Mat image, string label, AttributionMethod method)
    {
        using var analyzer = FaceAnalyzer.Load(new MemoryStream(model), new FaceAnalyzerOptions { IntraOpThreads = 1 });
        var explanation = new FaceExplainer(analyzer).Explain(image, new ExplanationRequest
        {
            Head = "target",
            Class = label,
            Detection = DetectionMode.Never,
            Options = new ExplanationOptions { Method = method, Grid = Grid, Samples = ShapSamples, Seed = 3 },
        });
        return Assert.Single(Assert.IsType<FaceExplanation>(explanation).Heads).Map;
    }

    private static double Probability(OnnxFaceModel model, byte[] pixels, string label)
    {
        var input = new float[model.Manifest.Preprocessing.TensorLength];
        model.Manifest.Preprocessing.Normalize(pixels, input);
        return model.Predict(input, 1).Row("target", 0)[model.Schema["target"].ClassIndex(label)];
    }

    /// <summary>The share of the positive attribution mass in the cells of the top-right quadrant.</summary>
    private static double PositiveShareInTarget(AttributionMap map)
    {
        double inside = 0, total = 0;
        for (var row = 0; row < map.Grid; row++)
        {
            for (var column = 0; column < map.Grid; column++)
            {
                var value = Math.Max(0, map[row, column]);
                total += value;
                inside += row < map.Grid / 2 && column >= map.Grid / 2 ? value : 0;
            }
        }

        return total > 0 ? inside / total : 0;
    }

    private static double Spearman(float[] a, float[] b)
    {
        var (ra, rb) = (Ranks(a), Ranks(b));
        var (ma, mb) = (ra.Average(), rb.Average());
        double covariance = 0, va = 0, vb = 0;
        for (var i = 0; i < ra.Length; i++)
        {
            covariance += (ra[i] - ma) * (rb[i] - mb);
            va += (ra[i] - ma) * (ra[i] - ma);
            vb += (rb[i] - mb) * (rb[i] - mb);
        }

        return covariance / Math.Sqrt(va * vb);
    }

    // Ranks from 1, ties sharing their mean rank.
    private static double[] Ranks(float[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }

            for (var k = start; k <= end; k++)
            {
                ranks[order[k]] = ((start + end) / 2.0) + 1;
            }

            start = end + 1;
        }

        return ranks;
    }
}
