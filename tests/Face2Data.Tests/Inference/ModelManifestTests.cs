using Face2Data.Detection;
using Face2Data.Imaging;
using Face2Data.Inference;
using Face2Data.Schema;

namespace Face2Data.Tests.Inference;

public sealed class ModelManifestTests
{
    private static readonly ModelManifest Sample = new()
    {
        Name = "utkface-seednet",
        Version = "1.2.0",
        Architecture = "seednet-w32",
        Schema = AttributeSchema.UtkFace,
        Preprocessing = new ImagePreprocessing { Size = 64, Resize = ResizeMethod.Cubic, Mean = [0.1f, 0.2f, 0.3f], Std = [0.4f, 0.5f, 0.6f] },
        Crop = new CropGeometry { Scale = 1.3, ShiftY = -0.1 },
        Metrics = new Dictionary<string, double> { ["race_accuracy"] = 0.8125, ["age_mae"] = 5.5 },
        TrainingData = "UTKFace \"aligned\" crops",
        License = "non-commercial research © 2017",
        CreatedUtc = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
    };

    [Fact]
    public void Metadata_round_trip_keeps_every_field()
    {
        var read = ModelManifest.FromMetadata(Sample.ToMetadata());

        Assert.Equal(Sample.Name, read.Name);
        Assert.Equal(Sample.Version, read.Version);
        Assert.Equal(Sample.Architecture, read.Architecture);
        Assert.True(read.Schema.SameHeadsAs(Sample.Schema));
        Assert.Equal(64, read.Preprocessing.Size);
        Assert.Equal(ResizeMethod.Cubic, read.Preprocessing.Resize);
        Assert.Equal([0.1f, 0.2f, 0.3f], read.Preprocessing.Mean);
        Assert.Equal([0.4f, 0.5f, 0.6f], read.Preprocessing.Std);
        Assert.Equal(new CropGeometry { Scale = 1.3, ShiftY = -0.1 }, read.Crop);
        Assert.Equal(0.8125, read.Metrics["race_accuracy"]);
        Assert.Equal(5.5, read.Metrics["age_mae"]);
        Assert.Equal(2, read.Metrics.Count);
        Assert.Equal("UTKFace \"aligned\" crops", read.TrainingData);
        Assert.Equal("non-commercial research © 2017", read.License);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 1, 4, 5, TimeSpan.Zero), read.CreatedUtc);
        Assert.Equal(TimeSpan.Zero, read.CreatedUtc.Offset);
    }

    [Fact]
    public void Test_time_flip_round_trips_and_is_off_for_models_exported_before_the_key()
    {
        var flipped = Sample with { TestTimeFlip = true };
        var metadata = flipped.ToMetadata();
        Assert.Equal("true", metadata["face2data.test_time_flip"]);
        Assert.True(ModelManifest.FromMetadata(metadata).TestTimeFlip);

        metadata.Remove("face2data.test_time_flip");
        Assert.False(ModelManifest.FromMetadata(metadata).TestTimeFlip);
    }

    [Fact]
    public void After_training_steps_round_trip_and_are_none_for_models_exported_before_the_key()
    {
        var adjusted = Sample with { AfterTraining = ["trained weights averaged over epochs 16-30", "race logits shifted by -1·log(training prior)"] };
        var metadata = adjusted.ToMetadata();
        Assert.Equal("[\"trained weights averaged over epochs 16-30\",\"race logits shifted by -1·log(training prior)\"]", metadata["face2data.after_training"]);
        Assert.Equal(adjusted.AfterTraining, ModelManifest.FromMetadata(metadata).AfterTraining);
        Assert.Contains("- After training: race logits shifted by -1·log(training prior)", ModelCard.ToMarkdown(adjusted, "m.onnx"));

        metadata.Remove("face2data.after_training");
        Assert.Empty(ModelManifest.FromMetadata(metadata).AfterTraining);
        Assert.DoesNotContain("After training", ModelCard.ToMarkdown(Sample, "m.onnx"));
    }

    [Fact]
    public void The_teacher_round_trips_is_printed_on_the_card_and_is_none_for_models_exported_before_the_key()
    {
        var distilled = Sample with { Teacher = "0.5 of the training loss against the averaged predictions of 2 trainings (a, b)" };
        var metadata = distilled.ToMetadata();
        Assert.Equal("\"0.5 of the training loss against the averaged predictions of 2 trainings (a, b)\"", metadata["face2data.teacher"]);
        Assert.Equal(distilled.Teacher, ModelManifest.FromMetadata(metadata).Teacher);
        Assert.Contains("- Distilled: 0.5 of the training loss against the averaged predictions of 2 trainings (a, b)", ModelCard.ToMarkdown(distilled, "m.onnx"));

        metadata.Remove("face2data.teacher");
        Assert.Equal("", ModelManifest.FromMetadata(metadata).Teacher);
        Assert.DoesNotContain("Distilled", ModelCard.ToMarkdown(Sample, "m.onnx"));
    }

    [Fact]
    public void Metadata_keys_are_prefixed_and_values_are_json()
    {
        var metadata = Sample.ToMetadata();

        Assert.All(metadata.Keys, k => Assert.StartsWith("face2data.", k));
        Assert.Equal("\"utkface-seednet\"", metadata["face2data.name"]);
        Assert.Equal("{\"scale\":1.3,\"shift_y\":-0.1}", metadata["face2data.crop"]);
        Assert.Equal("{\"age_mae\":5.5,\"race_accuracy\":0.8125}", metadata["face2data.metrics"]);
        Assert.Equal("{\"size\":64,\"resize\":\"cubic\",\"mean\":[0.1,0.2,0.3],\"std\":[0.4,0.5,0.6]}", metadata["face2data.preprocessing"]);
        Assert.Equal("\"2025-01-02T01:04:05.0000000Z\"", metadata["face2data.created_utc"]);
        Assert.Equal("\"non-commercial research © 2017\"", metadata["face2data.license"]);
        Assert.Equal(AttributeSchema.UtkFace.ToJson(), metadata["face2data.schema"]);
    }

    [Fact]
    public void Missing_keys_are_named_in_the_error()
    {
        var metadata = Sample.ToMetadata();
        metadata.Remove("face2data.schema");
        metadata.Remove("face2data.license");

        var error = Assert.Throws<FormatException>(() => ModelManifest.FromMetadata(metadata));

        Assert.Equal("The model's face2data manifest lacks face2data.schema, face2data.license.", error.Message);
    }

    [Fact]
    public void Metadata_without_any_face2data_key_says_so()
    {
        var error = Assert.Throws<FormatException>(() => ModelManifest.FromMetadata(new Dictionary<string, string> { ["author"] = "x" }));

        Assert.Equal("The model has no face2data manifest (no 'face2data.*' metadata keys); it was not exported by face2data.", error.Message);
    }

    [Theory]
    [InlineData("face2data.preprocessing", "{\"size\":", "Metadata 'face2data.preprocessing' is not valid:")]
    [InlineData("face2data.preprocessing", "{\"size\":0,\"resize\":\"area\",\"mean\":[0,0,0],\"std\":[1,1,1]}", "Metadata 'face2data.preprocessing' needs a size ≥ 1")]
    [InlineData("face2data.crop", "{\"scale\":0,\"shift_y\":0}", "Metadata 'face2data.crop' needs a scale > 0")]
    [InlineData("face2data.schema", "{\"heads\":[]}", "Metadata 'face2data.schema' is not a valid schema:")]
    [InlineData("face2data.name", "plain text", "Metadata 'face2data.name' is not valid:")]
    [InlineData("face2data.created_utc", "\"yesterday\"", "Metadata 'face2data.created_utc' is not a date: 'yesterday'.")]
    [InlineData("face2data.format", "2", "The model's face2data manifest has format 2; this version reads up to 1.")]
    public void Bad_values_give_errors_naming_the_key(string key, string value, string message)
    {
        var metadata = Sample.ToMetadata();
        metadata[key] = value;

        var error = Assert.Throws<FormatException>(() => ModelManifest.FromMetadata(metadata));

        Assert.StartsWith(message, error.Message);
    }
}
