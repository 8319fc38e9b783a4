using Face2Data.Reporting.Evaluation;

namespace Face2Data.Reporting.Tests.Evaluation;

public sealed class CalibrationErrorTests
{
    [Fact]
    public void From_gives_the_hand_computed_expected_calibration_error()
    {
        // Two classes, 10 bins (b/10, (b+1)/10]; confidence = top probability.
        //   [0.875, 0.125] true 0: conf 0.875, bin 8, right
        //   [0.125, 0.875] true 0: conf 0.875, bin 8, wrong
        //   [0.625, 0.375] true 0: conf 0.625, bin 6, right
        //   [0.25,  0.75 ] true 1: conf 0.75,  bin 7, right
        //   [0.9375, 0.0625] true 0: conf 0.9375, bin 9, right
        //   [1, 0]        true 1: conf 1,     bin 9, wrong
        // bin 6: 1 × |1 − 0.625| = 0.375; bin 7: 1 × |1 − 0.75| = 0.25; bin 8: 2 × |0.5 − 0.875| = 0.75;
        // bin 9: 2 × |0.5 − 0.96875| = 0.9375. ECE = (0.375 + 0.25 + 0.75 + 0.9375) / 6 = 2.3125 / 6 = 37/96.
        float[] probabilities = [0.875f, 0.125f, 0.125f, 0.875f, 0.625f, 0.375f, 0.25f, 0.75f, 0.9375f, 0.0625f, 1f, 0f];
        int[] labels = [0, 0, 0, 1, 0, 1];

        var calibration = CalibrationError.From(probabilities, 2, labels);

        Assert.Equal(37.0 / 96, calibration.Ece, 12);
        Assert.Equal(10, calibration.Bins.Count);
        Assert.Equal([0, 0, 0, 0, 0, 0, 1, 1, 2, 2], calibration.Bins.Select(b => b.Count));
        Assert.Equal((0.8, 0.9, 0.5, 0.875), (calibration.Bins[8].Lower, calibration.Bins[8].Upper, calibration.Bins[8].Accuracy, calibration.Bins[8].Confidence));
        Assert.Equal(0.96875, calibration.Bins[9].Confidence, 12);
        Assert.True(double.IsNaN(calibration.Bins[0].Accuracy));
    }

    [Fact]
    public void A_confidence_on_a_bin_edge_falls_in_the_lower_bin()
    {
        // Three classes, top probability exactly 0.5: bin (0.4, 0.5]; right, so ECE = |1 − 0.5| = 0.5.
        var calibration = CalibrationError.From([0.25f, 0.5f, 0.25f], 3, [1]);

        Assert.Equal(1, calibration.Bins[4].Count);
        Assert.Equal(0.5, calibration.Ece, 12);
    }

    [Fact]
    public void A_perfectly_confident_and_right_model_has_zero_error()
    {
        var calibration = CalibrationError.From([1f, 0f, 0f, 1f], 2, [0, 1]);

        Assert.Equal(0, calibration.Ece);
    }

    [Fact]
    public void From_rejects_probabilities_that_do_not_match_the_labels()
    {
        var error = Assert.Throws<ArgumentException>(() => CalibrationError.From([0.5f, 0.5f, 1f], 2, [0, 1]));

        Assert.StartsWith("Expected 2 × 2 probabilities, got 3.", error.Message);
    }
}
