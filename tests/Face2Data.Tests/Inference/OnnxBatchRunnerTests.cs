using Face2Data.Inference;

namespace Face2Data.Tests.Inference;

public sealed class OnnxBatchRunnerTests(TinyModel tiny) : IClassFixture<TinyModel>
{
    [Fact]
    public void Run_gives_the_same_outputs_as_Predict_at_every_batch_size()
    {
        using var runner = tiny.Model.CreateRunner(maxBatchSize: 5);
        foreach (var batch in new[] { 1, 5, 3, 1 })
        {
            var images = tiny.RandomImages(batch, seed: batch);
            images.CopyTo(runner.Input(batch));

            var pooled = runner.Run(batch);
            var direct = tiny.Model.Predict(images, batch);

            Assert.Equal(batch, pooled.BatchSize);
            for (var head = 0; head < direct.Values.Count; head++)
            {
                Assert.Equal(direct.Values[head], pooled.Values[head]);
            }
        }
    }

    [Fact]
    public void Outputs_of_an_earlier_run_are_not_overwritten_by_the_next()
    {
        using var runner = tiny.Model.CreateRunner(maxBatchSize: 2);
        tiny.RandomImages(2, seed: 1).CopyTo(runner.Input(2));
        var first = runner.Run(2);
        var kept = first.Values.Select(v => v.ToArray()).ToList();

        tiny.RandomImages(2, seed: 2).CopyTo(runner.Input(2));
        var second = runner.Run(2);

        Assert.Equal(kept, first.Values.Select(v => v.ToArray()));
        Assert.NotEqual(first.Values[0], second.Values[0]);
    }

    [Fact]
    public void Batch_sizes_outside_one_to_the_maximum_are_refused()
    {
        using var runner = tiny.Model.CreateRunner(maxBatchSize: 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => runner.Input(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => runner.Run(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => tiny.Model.CreateRunner(0));
    }
}
