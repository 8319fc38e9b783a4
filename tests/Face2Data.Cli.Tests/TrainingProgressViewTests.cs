using Face2Data.Cli.Commands;
using Face2Data.Training.Training;

namespace Face2Data.Cli.Tests;

/// <summary>What a training run writes to a log (no terminal): a line at each tenth of an epoch, then the epoch's.</summary>
public sealed class TrainingProgressViewTests
{
    [Theory]
    [InlineData(256, new[] { 26, 52, 77, 103, 128, 154, 180, 205, 231 })]
    [InlineData(15, new[] { 2, 3, 5, 6, 8, 9, 11, 12, 14 })]
    [InlineData(9, new int[0])]
    public void A_log_gets_a_line_at_each_tenth_of_an_epoch_but_the_last(int steps, int[] expected)
    {
        var lines = Enumerable.Range(1, steps).Where(step => TrainingProgressView.IsTenth(new TrainingProgress(1, 4, step, steps, 1.0, 50))).ToArray();

        Assert.Equal(expected, lines);
    }
}
