using Face2Data.Reporting;
using System.Text.Json;
using Face2Data.Reporting.Charts;
using Face2Data.Datasets;
using Face2Data.Reporting.Evaluation;
using Face2Data.Imaging;
using Face2Data.Inference;
using Face2Data.Schema;
using Face2Data.Training.Export;
using Face2Data.Training.Models;
using OpenCvSharp;

namespace Face2Data.Training.Tests.Evaluation;

/// <summary>ModelEvaluator (Core) on a real exported model: a tiny untrained f2d net on synthetic UTKFace-style faces.</summary>
public sealed class ModelEvaluatorTests : IDisposable
{
    private const int InputSize = 16;
    private readonly string _directory = Directory.CreateTempSubdirectory("f2d-evaluate-").FullName;
    private readonly UtkFaceDataset _dataset;

    public ModelEvaluatorTests()
    {
        _dataset = SyntheticFaces.Create(Path.Combine(_directory, "faces"), count: 30, size: 40, seed: 5);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Evaluate_on_a_test_split_writes_reports_and_charts_that_agree_with_the_model()
    {
        using var model = ExportedModel(AttributeSchema.UtkFace, "utk.onnx");
        var splitPath = Path.Combine(_directory, "split.json");
        DatasetSplit.Create(_dataset, new DatasetSplitOptions { Seed = 2, TestFraction = 0.4 }).Save(splitPath);
        var test = DatasetSplit.Load(splitPath, _dataset).Test;
        var output = Path.Combine(_directory, "report");
        var evaluator = new ModelEvaluator(model, new ModelEvaluatorOptions { BatchSize = 5, CacheDirectory = Path.Combine(_directory, "cache") });

        var report = evaluator.Evaluate(_dataset, test, "test part", output);

        // The same images through the model directly: decoded, preprocessed as the manifest says, normalized.
        var (gender, race, ages) = DirectPredictions(model, test);
        Assert.Equal(12, report.SampleCount);
        var genderHead = report.Categorical.Single(h => h.Head == "gender");
        Assert.Equal(Accuracy(gender, test, 1), genderHead.Report.Accuracy, 12);
        Assert.Equal(test.Count, genderHead.ConfusionMatrix.Total);
        Assert.Equal(Accuracy(race, test, 2), report.Categorical.Single(h => h.Head == "race").Report.Accuracy, 12);
        var expectedMae = test.Select((sample, i) => Math.Abs(ages[i] - _dataset.Samples[sample].Labels[0])).Average();
        Assert.Equal(expectedMae, report.Regression.Single().Metrics.Mae, 3);
        using (var cache = PreprocessedImageCache.LoadOrBuild(_dataset, model.Manifest.Preprocessing, Path.Combine(_directory, "cache")))
        {
            Assert.False(cache.WasBuilt);
            var predictions = evaluator.Predict(_dataset, cache, test);
            Assert.Equal(test, predictions.Indices);
            for (var i = 0; i < test.Count; i++)
            {
                Assert.Equal(ages[i], predictions.PredictedValue(0, i), 4);
                AssertClose(gender[i], predictions.Output(1, i).ToArray());
                AssertClose(race[i], predictions.Output(2, i).ToArray());
            }
        }

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        Assert.Equal(12, json.RootElement.GetProperty("samples").GetInt32());
        Assert.Equal("test part", json.RootElement.GetProperty("selection").GetString());
        Assert.True(File.Exists(Path.Combine(output, "report.md")));
        Assert.True(File.Exists(Path.Combine(output, "report.html")));
        Assert.Equal(["confusion_gender.png", "confusion_race.png", "predictions.png"], report.Charts.Select(c => c.File));
        AssertPng(Path.Combine(output, "confusion_gender.png"), ConfusionMatrixChart.SizeFor(2), ConfusionMatrixChart.SizeFor(2));
        AssertPng(Path.Combine(output, "confusion_race.png"), ConfusionMatrixChart.SizeFor(5), ConfusionMatrixChart.SizeFor(5));
        var (width, height) = PredictionGrid.SizeFor(12, 3);
        AssertPng(Path.Combine(output, "predictions.png"), width, height);
    }

    [Fact]
    public void Evaluate_without_indices_uses_every_sample()
    {
        using var model = ExportedModel(AttributeSchema.UtkFace, "utk.onnx");
        var evaluator = new ModelEvaluator(model, new ModelEvaluatorOptions { CacheDirectory = Path.Combine(_directory, "cache") });

        var report = evaluator.Evaluate(_dataset, null, "every sample", Path.Combine(_directory, "all"));

        Assert.Equal(30, report.SampleCount);
        Assert.All(report.Categorical, h => Assert.Equal(30, h.ConfusionMatrix.Total));
        Assert.Equal(["race × gender", "age"], report.Fairness.Select(f => f.Grouping));
        Assert.Equal(30, report.Fairness[1].Rows.Sum(r => r.Count));
    }

    [Fact]
    public void Evaluate_rejects_a_model_whose_head_means_something_else()
    {
        var schema = new AttributeSchema([AttributeHead.Regression("age", 0, 116), AttributeHead.Categorical("gender", ["woman", "man"])]);
        using var model = ExportedModel(schema, "other.onnx");
        var evaluator = new ModelEvaluator(model, new ModelEvaluatorOptions { CacheDirectory = Path.Combine(_directory, "cache") });

        var error = Assert.Throws<InvalidDataException>(() => evaluator.Evaluate(_dataset, null, "all", Path.Combine(_directory, "x")));

        Assert.Equal("Head 'gender' differs: the model predicts classes [woman, man], the dataset labels classes [male, female].", error.Message);
    }

    private OnnxFaceModel ExportedModel(AttributeSchema schema, string name)
    {
        using var net = ModelSpec.For("f2d", schema, InputSize).Create();
        net.eval();
        var path = Path.Combine(_directory, name);
        OnnxExporter.Export(net, new ModelManifest
        {
            Name = "tiny-f2d",
            Architecture = "f2d",
            Schema = schema,
            Preprocessing = new ImagePreprocessing { Size = InputSize, Resize = ResizeMethod.Area },
            CreatedUtc = DateTimeOffset.UnixEpoch,
        }, path);
        return OnnxFaceModel.Load(path, new OnnxFaceModelOptions { IntraOpThreads = 1 });
    }

    // Decodes each sample's file, preprocesses it and runs the model one image at a time.
    private (float[][] Gender, float[][] Race, float[] Ages) DirectPredictions(OnnxFaceModel model, IReadOnlyList<int> samples)
    {
        var preprocessing = model.Manifest.Preprocessing;
        var gender = new float[samples.Count][];
        var race = new float[samples.Count][];
        var ages = new float[samples.Count];
        for (var i = 0; i < samples.Count; i++)
        {
            using var image = Cv2.ImRead(Path.Combine(_directory, "faces", _dataset.Samples[samples[i]].Id));
            var input = new float[preprocessing.TensorLength];
            preprocessing.Normalize(preprocessing.ToRgbPixels(image), input);
            var outputs = model.Predict(input, 1);
            gender[i] = outputs["gender"];
            race[i] = outputs["race"];
            ages[i] = outputs["age"][0];
        }

        return (gender, race, ages);
    }

    private double Accuracy(float[][] probabilities, IReadOnlyList<int> samples, int head) =>
        samples.Select((sample, i) => Array.IndexOf(probabilities[i], probabilities[i].Max()) == (int)_dataset.Samples[sample].Labels[head] ? 1.0 : 0).Average();

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 5);
        }
    }

    private static void AssertPng(string path, int width, int height)
    {
        using var image = Cv2.ImRead(path);
        Assert.False(image.Empty(), $"{path} does not decode.");
        Assert.Equal((width, height), (image.Width, image.Height));
        Cv2.MeanStdDev(image, out _, out var deviation);
        Assert.True(deviation.Val0 + deviation.Val1 + deviation.Val2 > 1, $"{path} is a single flat colour.");
    }
}
