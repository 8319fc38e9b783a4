using Face2Data.Reporting.Evaluation;

namespace Face2Data.Reporting.Tests.Evaluation;

/// <summary>Photos without a face found (<see cref="PredictionSet.HasFace"/>) and group columns from a CSV.</summary>
public sealed class PhotoEvaluationTests
{
    [Fact]
    public void A_photo_without_a_face_is_wrong_in_accuracies_and_left_out_of_errors()
    {
        var report = EvaluationReport.From(TestPredictions.SixPhotos(), "test-model 1", "memory", "all photos");

        Assert.Equal((6, 1), (report.SampleCount, report.NoFaceCount));
        var gender = report.Categorical[0];
        // Faces found: true m m f f m, predicted m m f m m → 4 right of 6 labelled photos.
        Assert.Equal(1, gender.NoFace);
        Assert.Equal(5, gender.ConfusionMatrix.Total);
        Assert.Equal(4.0 / 6, gender.Accuracy, 12);
        var race = report.Categorical[1];
        Assert.Equal((1, 1), (race.Unknown, race.NoFace));
        Assert.Equal(3.0 / 5, race.Accuracy, 12);
        var age = Assert.Single(report.Regression);
        Assert.Equal((5, 1), (age.Metrics.Count, age.NoFace));
        Assert.Equal(21.0 / 5, age.Metrics.Mae, 12);
        var json = EvaluationReportWriter.ToJson(report);
        Assert.Contains("\"no_face\": 1", json, StringComparison.Ordinal);
        Assert.Contains("No face was found in 1 of the 6 photos", EvaluationReportWriter.ToMarkdown(report), StringComparison.Ordinal);
    }

    [Fact]
    public void A_group_column_is_crossed_with_gender_and_a_photo_without_a_face_counts_as_wrong()
    {
        var ethnicity = new GroupColumn("ethnicity", ["x", "x", "y", "y", "y", ""]);

        var tables = FairnessTable.For(TestPredictions.SixPhotos(), [ethnicity]);

        var table = tables.Single(t => t.Grouping == "ethnicity × gender");
        Assert.Equal(["x · m", "y · f"], table.Rows.Select(r => r.Group));
        Assert.Equal([2, 3], table.Rows.Select(r => r.Count));
        // gender: y · female has 2 right, 3 predicted male, 4 no face → 1/3; age MAE over 2 and 3 (4 left out): 5.
        Assert.Equal(1, table.Rows[0].Values[1], 12);
        Assert.Equal(1.0 / 3, table.Rows[1].Values[1], 12);
        Assert.Equal(5, table.Rows[1].Values[0], 12);
    }

    [Fact]
    public void Without_a_gender_head_a_group_column_is_its_own_table()
    {
        var predictions = TestPredictions.SixPhotos();
        var schema = new Schema.AttributeSchema([predictions.Schema.Heads[0]]);
        var ageOnly = new PredictionSet(schema, predictions.Indices, predictions.Ids, [predictions.TruthOf(0).ToArray()], [predictions.OutputsOf(0).ToArray()]);

        var tables = FairnessTable.For(ageOnly, [new GroupColumn("site", ["b", "a", "a", "b", "b", "a"])]);

        Assert.Equal(["age", "site"], tables.Select(t => t.Grouping));
        Assert.Equal(["a", "b"], tables[1].Rows.Select(r => r.Group));
    }
}
