using Face2Data.Reporting.Evaluation;
using Face2Data.Schema;

namespace Face2Data.Reporting.Tests.Evaluation;

public sealed class FairnessTableTests
{
    [Fact]
    public void For_groups_by_race_and_gender_with_hand_computed_metrics()
    {
        // a·m: samples 0, 1 → age MAE (2 + 5)/2 = 3.5, gender 2/2, race 1/2
        // a·f: sample 2     → age MAE 0, gender 1, race 1
        // b·m: no sample (left out); sample 5 has no race (left out)
        // b·f: samples 3, 4 → age MAE (10 + 3)/2 = 6.5, gender 1/2, race 2/2
        var table = FairnessTable.For(TestPredictions.SixPeople())[0];

        Assert.Equal("race × gender", table.Grouping);
        Assert.Equal(["age", "gender", "race"], table.Heads);
        Assert.Equal(["mae", "accuracy", "accuracy"], table.Metrics);
        Assert.Equal(["a · m", "a · f", "b · f"], table.Rows.Select(r => r.Group));
        Assert.Equal([2, 1, 2], table.Rows.Select(r => r.Count));
        Assert.Equal([3.5, 1, 0.5], table.Rows[0].Values);
        Assert.Equal([0, 1, 1], table.Rows[1].Values);
        Assert.Equal([6.5, 0.5, 1], table.Rows[2].Values);
    }

    [Fact]
    public void Gaps_name_the_best_and_worst_group_of_each_head()
    {
        var gaps = FairnessTable.For(TestPredictions.SixPeople())[0].Gaps;

        // Lower MAE is better; higher accuracy is better; the first group wins ties.
        Assert.Equal(new FairnessGap("age", "mae", "a · f", 0, "b · f", 6.5, 6.5), gaps[0]);
        Assert.Equal(new FairnessGap("gender", "accuracy", "a · m", 1, "b · f", 0.5, 0.5), gaps[1]);
        Assert.Equal(new FairnessGap("race", "accuracy", "a · f", 1, "a · m", 0.5, 0.5), gaps[2]);
    }

    [Fact]
    public void For_groups_by_age_bin_leaving_unknown_labels_out_of_a_head()
    {
        // <10: sample 5 (error 4, race unknown); 10–20: sample 2 (error 0); 20–30: samples 0, 4 (errors 2, 3);
        // 30–40: sample 1 (error 5, race wrong); 60–80: sample 3 (error 10, gender wrong).
        var table = FairnessTable.For(TestPredictions.SixPeople())[1];

        Assert.Equal("age", table.Grouping);
        Assert.Equal(["<10", "10–20", "20–30", "30–40", "60–80"], table.Rows.Select(r => r.Group));
        Assert.Equal(4, table.Rows[0].Values[0]);
        Assert.True(double.IsNaN(table.Rows[0].Values[2]));
        Assert.Equal([2.5, 1, 1], table.Rows[2].Values);
        Assert.Equal(new FairnessGap("age", "mae", "10–20", 0, "60–80", 10, 10), table.Gaps[0]);
        Assert.Equal(new FairnessGap("race", "accuracy", "10–20", 1, "30–40", 0, 1), table.Gaps[2]);
    }

    [Fact]
    public void Without_race_and_gender_each_categorical_head_groups_on_its_own()
    {
        var schema = new AttributeSchema(
        [
            AttributeHead.Categorical("glasses", ["no", "yes"]),
            AttributeHead.Categorical("smile", ["none", "broad"]),
            AttributeHead.Regression("height", 140, 210),
        ]);
        // glasses no: samples 0, 1 (smile right, wrong); yes: sample 2 (smile right). Heights off by 2, 4, 6.
        var predictions = new PredictionSet(
            schema,
            [0, 1, 2],
            ["x", "y", "z"],
            [[0, 0, 1], [1, 0, 1], [150, 170, 190]],
            [TestPredictions.OneHot([0, 0, 1], 2, 0.9f), TestPredictions.OneHot([1, 1, 1], 2, 0.9f), [152, 174, 196]]);

        var tables = FairnessTable.For(predictions);

        Assert.Equal(["glasses", "smile"], tables.Select(t => t.Grouping));
        Assert.Equal(["no", "yes"], tables[0].Rows.Select(r => r.Group));
        Assert.Equal([1, 0.5, 3], tables[0].Rows[0].Values);
        Assert.Equal([1, 1, 6], tables[0].Rows[1].Values);
        Assert.Equal(["none", "broad"], tables[1].Rows.Select(r => r.Group));
        Assert.Equal([1, 0, 4], tables[1].Rows[0].Values);
        Assert.Equal([1, 1, 4], tables[1].Rows[1].Values);
    }
}
