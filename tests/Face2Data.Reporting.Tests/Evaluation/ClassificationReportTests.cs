using Face2Data.Reporting.Evaluation;

namespace Face2Data.Reporting.Tests.Evaluation;

public sealed class ClassificationReportTests
{
    // Rows true, columns predicted:      cat dog bird   support
    //                              cat [  5,  1,  0 ]      6
    //                              dog [  2,  3,  1 ]      6
    //                             bird [  0,  1,  4 ]      5      predicted: cat 7, dog 5, bird 5; total 17
    // precision = TP / predicted: cat 5/7 = 0.7143, dog 3/5 = 0.6, bird 4/5 = 0.8
    // recall = TP / support:      cat 5/6 = 0.8333, dog 3/6 = 0.5, bird 4/5 = 0.8
    // f1 = 2TP / (2TP + FP + FN): cat 10/13 = 0.7692, dog 6/11 = 0.5455, bird 8/10 = 0.8
    // accuracy = 12/17 = 0.7059
    // macro: p (5/7 + 3/5 + 4/5)/3 = 0.7048, r (5/6 + 1/2 + 4/5)/3 = 0.7111, f1 (10/13 + 6/11 + 4/5)/3 = 0.7049
    // weighted: p (6·5/7 + 6·3/5 + 5·4/5)/17 = 0.6992, r 12/17 = 0.7059, f1 (6·10/13 + 6·6/11 + 5·0.8)/17 = 0.6993
    private static readonly ConfusionMatrix ThreeClasses = new(["cat", "dog", "bird"], new[,] { { 5, 1, 0 }, { 2, 3, 1 }, { 0, 1, 4 } });

    [Fact]
    public void From_gives_hand_computed_per_class_metrics()
    {
        var report = ClassificationReport.From(ThreeClasses);

        AssertRow(new ClassMetrics("cat", 5.0 / 7, 5.0 / 6, 10.0 / 13, 6), report.Classes[0]);
        AssertRow(new ClassMetrics("dog", 3.0 / 5, 1.0 / 2, 6.0 / 11, 6), report.Classes[1]);
        AssertRow(new ClassMetrics("bird", 4.0 / 5, 4.0 / 5, 8.0 / 10, 5), report.Classes[2]);
    }

    [Fact]
    public void From_gives_hand_computed_accuracy_and_averages()
    {
        var report = ClassificationReport.From(ThreeClasses);

        Assert.Equal(12.0 / 17, report.Accuracy, 12);
        Assert.Equal(17, report.Support);
        AssertRow(new ClassMetrics("macro avg", (5.0 / 7 + 3.0 / 5 + 4.0 / 5) / 3, (5.0 / 6 + 1.0 / 2 + 4.0 / 5) / 3, (10.0 / 13 + 6.0 / 11 + 4.0 / 5) / 3, 17), report.MacroAverage);
        AssertRow(
            new ClassMetrics("weighted avg", (6 * 5.0 / 7 + 6 * 3.0 / 5 + 5 * 4.0 / 5) / 17, 12.0 / 17, (6 * 10.0 / 13 + 6 * 6.0 / 11 + 5 * 0.8) / 17, 17),
            report.WeightedAverage);
    }

    [Fact]
    public void ToText_matches_scikit_learn_layout()
    {
        // scikit-learn's format strings: header "{:>{width}s} " + " {:>9}" × 4, rows " {:>9.2f}" × 3 + " {:>9}",
        // width = max(longest label, len("weighted avg")) = 12; the accuracy row leaves precision and recall blank.
        const string expected =
            "              precision    recall  f1-score   support\n" +
            "\n" +
            "         cat       0.71      0.83      0.77         6\n" +
            "         dog       0.60      0.50      0.55         6\n" +
            "        bird       0.80      0.80      0.80         5\n" +
            "\n" +
            "    accuracy                           0.71        17\n" +
            "   macro avg       0.70      0.71      0.70        17\n" +
            "weighted avg       0.70      0.71      0.70        17\n";

        Assert.Equal(expected, ClassificationReport.From(ThreeClasses).ToText());
    }

    [Fact]
    public void ToText_with_four_digits_and_a_long_label_widens_columns_like_scikit_learn()
    {
        // Rows [[2, 0, 0], [1, 0, 0], [0, 0, 0]]: the second class is never predicted (precision 0/0 → 0) and the
        // third has no samples (recall 0/0 → 0), as scikit-learn's zero_division default reports them.
        var matrix = new ConfusionMatrix(["a", "a very long class name", "c"], new[,] { { 2, 0, 0 }, { 1, 0, 0 }, { 0, 0, 0 } });
        const string expected =
            "                        precision    recall  f1-score   support\n" +
            "\n" +
            "                     a     0.6667    1.0000    0.8000         2\n" +
            "a very long class name     0.0000    0.0000    0.0000         1\n" +
            "                     c     0.0000    0.0000    0.0000         0\n" +
            "\n" +
            "              accuracy                         0.6667         3\n" +
            "             macro avg     0.2222    0.3333    0.2667         3\n" +
            "          weighted avg     0.4444    0.6667    0.5333         3\n";

        Assert.Equal(expected, ClassificationReport.From(matrix).ToText(digits: 4));
    }

    [Fact]
    public void ToText_rounds_exact_halves_to_even_like_python()
    {
        // Precision 1/8 = 0.125 exactly; Python's format gives "0.12" (round half to even), not "0.13".
        var matrix = new ConfusionMatrix(["x", "y"], new[,] { { 1, 0 }, { 7, 0 } });

        var row = ClassificationReport.From(matrix).ToText().Split('\n')[2];

        Assert.Equal("           x       0.12      1.00      0.22         1", row);
    }

    private static void AssertRow(ClassMetrics expected, ClassMetrics actual)
    {
        Assert.Equal(expected.Label, actual.Label);
        Assert.Equal(expected.Precision, actual.Precision, 12);
        Assert.Equal(expected.Recall, actual.Recall, 12);
        Assert.Equal(expected.F1, actual.F1, 12);
        Assert.Equal(expected.Support, actual.Support);
    }
}
