using Face2Data.Reporting;
using System.Text.Json.Nodes;
using Face2Data.Reporting.Evaluation;
using Face2Data.Imaging;
using Face2Data.Inference;
using Face2Data.Schema;

namespace Face2Data.Reporting.Tests;

public sealed class ModelCardTests
{
    private static readonly ModelManifest Manifest = new()
    {
        Name = "card-test",
        Architecture = "f2d",
        Schema = AttributeSchema.UtkFace,
        Preprocessing = new ImagePreprocessing { Size = 64 },
        Metrics = new Dictionary<string, double> { ["gender.accuracy"] = 0.9 },
    };

    [Fact]
    public void Sections_go_before_the_limitations_and_into_the_json_by_key()
    {
        var sections = new[] { new ModelCardSection("training", "Training", "- Epochs: 3", new JsonObject { ["epochs"] = 3 }) };

        var markdown = ModelCard.ToMarkdown(Manifest, "m.onnx", sections);
        var json = JsonNode.Parse(ModelCard.ToJson(Manifest, sections))!;

        var training = markdown.IndexOf("## Training\n\n- Epochs: 3", StringComparison.Ordinal);
        Assert.True(training > markdown.IndexOf("## Metrics recorded in the model (validation split, at export)", StringComparison.Ordinal));
        Assert.True(training < markdown.IndexOf("## Intended use and limitations", StringComparison.Ordinal));
        Assert.Equal(3, json["training"]!["epochs"]!.GetValue<int>());
        Assert.Equal("card-test", json["name"]!.GetValue<string>());
    }

    [Fact]
    public void Evaluation_section_drops_the_title_nests_headings_and_links_charts_from_the_card()
    {
        var root = Directory.CreateTempSubdirectory("face2data-card-");
        try
        {
            var evaluation = Directory.CreateDirectory(Path.Combine(root.FullName, "evaluation"));
            File.WriteAllText(Path.Combine(evaluation.FullName, EvaluationReportWriter.MarkdownFile),
                "# Evaluation of card-test\n\nModel card-test on 10 samples.\n\n## race\n\n![race confusion matrix](confusion_race.png)\n");
            File.WriteAllText(Path.Combine(evaluation.FullName, EvaluationReportWriter.JsonFile), "{\"samples\": 10}");

            var section = EvaluationReportWriter.ToCardSection(evaluation.FullName, root.FullName);

            Assert.Equal("evaluation", section.Key);
            Assert.DoesNotContain("# Evaluation of", section.Markdown);
            Assert.Contains("\n### race\n", section.Markdown);
            Assert.Contains("![race confusion matrix](evaluation/confusion_race.png)", section.Markdown);
            Assert.Equal(10, section.Json!["samples"]!.GetValue<int>());
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_real_photo_evaluation_becomes_its_own_titled_section()
    {
        var root = Directory.CreateTempSubdirectory("face2data-card-");
        try
        {
            var evaluation = Directory.CreateDirectory(Path.Combine(root.FullName, "photos", "london-faces"));
            File.WriteAllText(Path.Combine(evaluation.FullName, EvaluationReportWriter.MarkdownFile),
                "# Evaluation of card-test\n\n## gender by ethnicity × gender\n\n![gender](confusion_gender.png)\n");
            File.WriteAllText(Path.Combine(evaluation.FullName, EvaluationReportWriter.JsonFile), "{\"samples\": 204}");

            var section = EvaluationReportWriter.ToCardSection(evaluation.FullName, root.FullName, "photos-london-faces", "Evaluation on real photos: london-faces");

            Assert.Equal("photos-london-faces", section.Key);
            Assert.Equal("Evaluation on real photos: london-faces", section.Title);
            Assert.Contains("![gender](photos/london-faces/confusion_gender.png)", section.Markdown);
            Assert.Equal(204, section.Json!["samples"]!.GetValue<int>());
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
