using Face2Data.Training.Training;
using Xunit;

namespace Face2Data.Training.Tests.Training;

public class LearningRateScheduleTests
{
    private static TrainingOptions Options(LearningRateScheduleKind kind, double warmup = 0, double decay = 0) => new()
    {
        OutputDirectory = "unused",
        Stages = [new TrainingStage(32, 10)],
        Schedule = kind,
        WarmupEpochs = warmup,
        Decay = decay,
        MinLearningRate = 1e-5,
    };

    [Fact]
    public void Constant_applies_keras_time_decay()
    {
        var options = Options(LearningRateScheduleKind.Constant, decay: 0.01);
        Assert.Equal(1e-3, LearningRateSchedule.At(options, 1e-3, 0, 1000), 12);
        Assert.Equal(1e-3 / 2, LearningRateSchedule.At(options, 1e-3, 100, 1000), 12);
    }

    [Fact]
    public void Cosine_starts_at_base_halves_midway_and_ends_at_floor()
    {
        var options = Options(LearningRateScheduleKind.Cosine);
        Assert.Equal(1e-3, LearningRateSchedule.At(options, 1e-3, 0, 1000), 12);
        Assert.Equal(1e-5 + ((1e-3 - 1e-5) / 2), LearningRateSchedule.At(options, 1e-3, 500, 1000), 12);
        Assert.Equal(1e-5, LearningRateSchedule.At(options, 1e-3, 1000, 1000), 12);
    }

    [Fact]
    public void Cosine_warms_up_linearly_over_the_given_epochs()
    {
        // 10 epochs of 100 steps, 1 warm-up epoch = 100 steps.
        var options = Options(LearningRateScheduleKind.Cosine, warmup: 1);
        Assert.Equal(1e-3 / 100, LearningRateSchedule.At(options, 1e-3, 0, 1000), 12);
        Assert.Equal(1e-3 / 2, LearningRateSchedule.At(options, 1e-3, 49, 1000), 12);
        Assert.Equal(1e-3, LearningRateSchedule.At(options, 1e-3, 100, 1000), 12);
        Assert.True(LearningRateSchedule.At(options, 1e-3, 550, 1000) < 1e-3 * 0.51);
    }
}
