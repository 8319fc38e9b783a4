using Face2Data.Reporting.Evaluation;

namespace Face2Data.Reporting.Tests.Evaluation;

public sealed class ConfusionMatrixTests
{
    [Fact]
    public void FromLabels_counts_true_against_predicted_classes()
    {
        int[] actual = [0, 0, 1, 2, 2, 2, 1];
        int[] predicted = [0, 1, 1, 2, 0, 2, 1];

        var matrix = ConfusionMatrix.FromLabels(["a", "b", "c"], actual, predicted);

        Assert.Equal([[1, 1, 0], [0, 2, 0], [1, 0, 2]], matrix.ToRows());
        Assert.Equal((7, 5), (matrix.Total, matrix.Correct));
        Assert.Equal(5.0 / 7, matrix.Accuracy, 12);
        Assert.Equal([2, 2, 3], Enumerable.Range(0, 3).Select(matrix.Support));
        Assert.Equal([2, 3, 2], Enumerable.Range(0, 3).Select(matrix.PredictedCount));
    }

    [Fact]
    public void FromLabels_rejects_a_label_outside_the_classes()
    {
        var error = Assert.Throws<ArgumentException>(() => ConfusionMatrix.FromLabels(["a", "b"], [0, 2], [0, 1]));

        Assert.StartsWith("Sample 1 has class pair (2, 1); classes are 0 to 1.", error.Message);
    }

    [Fact]
    public void Constructor_rejects_a_matrix_that_does_not_fit_the_classes()
    {
        var error = Assert.Throws<ArgumentException>(() => new ConfusionMatrix(["a", "b", "c"], new int[2, 2]));

        Assert.StartsWith("Expected a 3 × 3 matrix for 3 classes, got 2 × 2.", error.Message);
    }

    [Fact]
    public void Accuracy_of_an_empty_matrix_is_undefined()
    {
        var matrix = ConfusionMatrix.FromLabels(["a", "b"], [], []);

        Assert.Equal(0, matrix.Total);
        Assert.True(double.IsNaN(matrix.Accuracy));
    }
}
