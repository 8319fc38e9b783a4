using System.Text.Json;
using Face2Data.Detection;
using Face2Data.Explanation;

namespace Face2Data.Tests.Explanation;

public sealed class ExplanationFilesTests(BundledModelFixture fixture) : IClassFixture<BundledModelFixture>
{
    [Fact]
    public void Every_head_gets_its_overlay_png_and_one_json_holds_every_grid_beside_them()
    {
        using var folder = new TempDirectory();
        using var face = BundledModelFixture.Face();
        var explanation = new FaceExplainer(fixture.Analyzer).Explain(face, new ExplanationRequest { Detection = DetectionMode.Never, Options = new ExplanationOptions { Grid = 4 } })!;
        var path = Path.Combine(folder.Path, "out", "heatmap.png");

        var written = ExplanationFiles.Save(explanation, path, source: "face.jpg");

        var names = new[] { "heatmap.age.png", "heatmap.gender.png", "heatmap.race.png", "heatmap.json" };
        Assert.Equal(names.Select(n => Path.Combine(folder.Path, "out", n)), written);
        Assert.Equal(names.Order(), Directory.GetFiles(Path.Combine(folder.Path, "out")).Select(Path.GetFileName).Order());
        foreach (var png in written.Take(3))
        {
            PngAssert.IsChart(png, 256, 256);
        }

        using var json = JsonDocument.Parse(File.ReadAllText(written[^1]));
        var root = json.RootElement;
        Assert.Equal("face.jpg", root.GetProperty("source").GetString());
        Assert.Equal(fixture.Analyzer.Model.Preprocessing.Size, root.GetProperty("model").GetProperty("input_size").GetInt32());
        Assert.False(root.GetProperty("face").GetProperty("detected").GetBoolean());
        var heads = root.GetProperty("explanations").EnumerateArray().ToList();
        Assert.Equal(["age", "gender", "race"], heads.Select(h => h.GetProperty("head").GetString()));
        for (var i = 0; i < heads.Count; i++)
        {
            var map = explanation.Heads[i].Map;
            var grid = heads[i].GetProperty("grid").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToList();
            Assert.Equal(4, heads[i].GetProperty("grid_size").GetInt32());
            Assert.Equal(4, grid.Count);
            Assert.All(grid, row => Assert.Equal(4, row.Length));
            Assert.Equal(map.Values, grid.SelectMany(r => r));
            Assert.Equal(map.Output, heads[i].GetProperty("output").GetDouble());
            Assert.Equal(map.BaselineOutput, heads[i].GetProperty("baseline_output").GetDouble());
            Assert.Equal("occlusion", heads[i].GetProperty("method").GetString());
            Assert.Equal("blur", heads[i].GetProperty("baseline").GetString());
            Assert.Equal(names[i], heads[i].GetProperty("overlay").GetString());
        }
    }

    [Fact]
    public void One_head_is_written_to_the_path_asked_for()
    {
        using var folder = new TempDirectory();
        using var face = BundledModelFixture.Face();
        var explanation = new FaceExplainer(fixture.Analyzer).Explain(face, new ExplanationRequest { Head = "gender", Detection = DetectionMode.Never })!;
        var path = Path.Combine(folder.Path, "why.png");

        var written = ExplanationFiles.Save(explanation, path);

        Assert.Equal([path, Path.Combine(folder.Path, "why.json")], written);
        PngAssert.IsChart(path, 256, 256);
        Assert.Equal(["why.json", "why.png"], Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order());
    }
}
