using Face2Data.Training.Training;

namespace Face2Data.Training.Tests.Training;

public class TrainingStageTests
{
    [Fact]
    public void Parses_progressive_resizing_stages()
    {
        var stages = TrainingStage.ParseList("64:8, 96:12");
        Assert.Equal([new TrainingStage(64, 8), new TrainingStage(96, 12)], stages);
        var options = new TrainingOptions { OutputDirectory = "x", Stages = stages };
        Assert.Equal(20, options.TotalEpochs);
        Assert.Equal(64, options.StageOf(8).Size);
        Assert.Equal(96, options.StageOf(9).Size);
    }

    [Theory]
    [InlineData("64")]
    [InlineData("64:0")]
    [InlineData("4:3")]
    [InlineData("a:b")]
    public void Rejects_bad_stages(string text) =>
        Assert.Contains("SIZE:EPOCHS", Assert.Throws<FormatException>(() => TrainingStage.ParseList(text)).Message);
}
