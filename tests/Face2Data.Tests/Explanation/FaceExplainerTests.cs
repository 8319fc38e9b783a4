using Face2Data.Detection;
using Face2Data.Explanation;
using Face2Data.Schema;
using OpenCvSharp;

namespace Face2Data.Tests.Explanation;

public sealed class FaceExplainerTests(BundledModelFixture fixture) : IClassFixture<BundledModelFixture>
{
    [Fact]
    public void Without_a_head_every_head_is_explained_at_its_prediction_on_the_crop_the_analysis_uses()
    {
        using var face = BundledModelFixture.Face();
        var analysis = Assert.Single(fixture.Analyzer.Analyze(face).Faces);

        var explanation = Explain(face, new ExplanationRequest { Detection = DetectionMode.Never });
        var size = fixture.Analyzer.Model.Preprocessing.Size; // 134 for the bundled model: patches of 34 px (a quarter, rounded) every 17 px

        Assert.Equal(fixture.Analyzer.Model.Schema.Heads.Select(h => h.Name), explanation.Heads.Select(h => h.Map.Head));
        foreach (var head in explanation.Heads)
        {
            var map = head.Map;
            var prediction = analysis.Attributes[map.Head];
            var explained = explanation.Face.Attributes[map.Head];
            Assert.Equal((prediction.Label, prediction.Confidence, prediction.Value), (explained.Label, explained.Confidence, explained.Value));
            Assert.Equal(prediction.Probabilities, explained.Probabilities);
            if (map.Kind == HeadKind.Regression)
            {
                Assert.Null(map.Class);
                Assert.Equal(prediction.Value!.Value, map.Output, 3);
            }
            else
            {
                Assert.Equal(prediction.Label, map.Class);
                Assert.Equal(prediction.Confidence!.Value, map.Output, 5);
            }

            Assert.Equal((8, 64, size), (map.Grid, map.Values.Length, map.InputSize));
            Assert.Equal((AttributionMethod.Occlusion, (int)Math.Round(size / 4.0), (int)Math.Round(size / 8.0), 7 * 7 + 2), (map.Method, map.Patch, map.Stride, map.Evaluations));
            using var overlay = Cv2.ImDecode(head.OverlayPng, ImreadModes.Color);
            Assert.Equal((256, 256), (overlay.Width, overlay.Height));
        }
    }

    [Fact]
    public void A_named_class_is_explained_even_when_it_is_not_the_prediction()
    {
        using var face = BundledModelFixture.Face();
        var race = fixture.Analyzer.Analyze(face).Faces[0].Attributes["race"];
        var other = race.Probabilities!.Keys.First(c => c != race.Label);

        var map = Assert.Single(Explain(face, new ExplanationRequest { Head = "race", Class = other.ToUpperInvariant(), Detection = DetectionMode.Never }).Heads).Map;

        Assert.Equal(other, map.Class);
        Assert.Equal(race.Probabilities[other], map.Output, 5);
    }

    [Fact]
    public void Shap_on_the_bundled_model_sums_to_the_output_minus_the_baseline_output_and_repeats_with_its_seed()
    {
        using var face = BundledModelFixture.Face();
        var request = new ExplanationRequest
        {
            Head = "gender",
            Detection = DetectionMode.Never,
            Options = new ExplanationOptions { Method = AttributionMethod.Shap, Samples = 128, Seed = 4, Baseline = AttributionBaseline.Mean },
        };

        var first = Assert.Single(Explain(face, request).Heads).Map;
        var again = Assert.Single(Explain(face, request).Heads).Map;

        Assert.Equal(first.Output - first.BaselineOutput, first.Sum, 4);
        Assert.Equal((128 + 2, 128, 4, AttributionBaseline.Mean), (first.Evaluations, first.Samples, first.Seed, first.Baseline));
        Assert.Equal(first.Values, again.Values);
    }

    [Fact]
    public void A_face_number_beyond_the_faces_found_gives_no_explanation()
    {
        using var face = BundledModelFixture.Face();

        Assert.Null(new FaceExplainer(fixture.Analyzer).Explain(face, new ExplanationRequest { Face = 2, Detection = DetectionMode.Never }));
    }

    [Theory]
    [InlineData("eyes", null, "Head", "no head 'eyes'; its heads are age, gender, race")]
    [InlineData("age", "old", "Class", "'age' is a regression head")]
    [InlineData("race", "martian", "Class", "no class 'martian'")]
    [InlineData(null, "female", "Class", "give the head too")]
    public void Heads_and_classes_the_model_does_not_have_are_refused_before_any_work(string? head, string? className, string parameter, string message)
    {
        using var face = BundledModelFixture.Face();

        var error = Assert.ThrowsAny<ArgumentException>(() => new FaceExplainer(fixture.Analyzer).Explain(face, new ExplanationRequest { Head = head, Class = className }));

        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Masked_images_give_the_same_outputs_in_one_batch_as_one_by_one()
    {
        using var face = BundledModelFixture.Face();
        var inputs = fixture.Analyzer.FindFaces(face, new() { Detection = DetectionMode.Never, MaxFaces = 1 });
        using var input = Assert.Single(inputs);
        var model = fixture.Analyzer.OnnxModel;
        var output = new ModelOutput(model, input.Pixels, BaselineImage.Create(input.Pixels, model.InputSize, AttributionBaseline.Blur), "race", 2);
        var plane = model.InputSize * model.InputSize;
        var random = new Random(1);
        var masks = Enumerable.Range(0, 5 * plane).Select(i => i < plane || random.Next(3) > 0).ToArray();

        var together = new double[5];
        output.Evaluate(masks, together);
        var alone = Enumerable.Range(0, 5).Select(k =>
        {
            var value = new double[1];
            output.Evaluate(masks.AsSpan(k * plane, plane), value);
            return value[0];
        }).ToArray();

        Assert.Equal(alone, together.Select((v, i) => Math.Abs(v - alone[i]) < 1e-5 ? alone[i] : v));
        Assert.Equal(fixture.Analyzer.Predict(input).Attributes["race"].Probabilities!.Values.ElementAt(2), together[0], 5);
        Assert.NotEqual(together[0], together[1]);
    }

    private FaceExplanation Explain(Mat image, ExplanationRequest request) =>
        Assert.IsType<FaceExplanation>(new FaceExplainer(fixture.Analyzer).Explain(image, request));
}
