using System.Diagnostics;
using Face2Data.Inference;

namespace Face2Data.Tests.Inference;

public sealed class InferenceBatcherTests(TinyModel tiny) : IClassFixture<TinyModel>
{
    private static readonly TimeSpan LongWait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Concurrent_requests_run_as_one_batch_and_each_gets_its_own_rows()
    {
        using var batcher = new InferenceBatcher(tiny.Model, new InferenceBatcherOptions { MaxBatchSize = 16, MaxWait = LongWait });
        var counts = new[] { 1, 3, 2, 1 };
        var inputs = counts.Select((count, i) => tiny.RandomImages(count, seed: 10 + i)).ToArray();
        // Announced first, so the batch waits until every request is in (well within MaxWait).
        var expectations = counts.Select(_ => batcher.Expect()).ToArray();
        var tasks = new Task<HeadOutputs>[counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            tasks[i] = batcher.PredictAsync(inputs[i], counts[i]);
            expectations[i].Dispose();
        }

        var results = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, batcher.Batches);
        Assert.Equal(7, batcher.Images);
        for (var i = 0; i < counts.Length; i++)
        {
            var alone = tiny.Model.Predict(inputs[i], counts[i]);
            Assert.Equal(counts[i], results[i].BatchSize);
            for (var head = 0; head < alone.Values.Count; head++)
            {
                AssertClose(alone.Values[head], results[i].Values[head]);
            }
        }
    }

    [Fact]
    public async Task Requests_beyond_the_batch_size_go_into_later_batches_in_order()
    {
        using var batcher = new InferenceBatcher(tiny.Model, new InferenceBatcherOptions { MaxBatchSize = 4, MaxWait = LongWait });
        var inputs = Enumerable.Range(0, 6).Select(i => tiny.RandomImages(2, seed: 20 + i)).ToArray();
        var expectations = inputs.Select(_ => batcher.Expect()).ToArray();
        var tasks = new Task<HeadOutputs>[inputs.Length];
        for (var i = 0; i < inputs.Length; i++)
        {
            tasks[i] = batcher.PredictAsync(inputs[i], 2);
            expectations[i].Dispose();
        }

        var results = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(12, batcher.Images);
        Assert.InRange(batcher.Batches, 3, 6);
        for (var i = 0; i < inputs.Length; i++)
        {
            var alone = tiny.Model.Predict(inputs[i], 2);
            AssertClose(alone.Values[0], results[i].Values[0]);
            AssertClose(alone.Values[2], results[i].Values[2]);
        }
    }

    [Fact]
    public async Task A_request_larger_than_the_batch_size_runs_on_its_own()
    {
        using var batcher = new InferenceBatcher(tiny.Model, new InferenceBatcherOptions { MaxBatchSize = 2 });
        var input = tiny.RandomImages(5, seed: 30);

        var result = await batcher.PredictAsync(input, 5);

        Assert.Equal(5, result.BatchSize);
        Assert.Equal(tiny.Model.Predict(input, 5).Values[1], result.Values[1]);
        Assert.Equal(0, batcher.Batches);
    }

    [Fact]
    public async Task A_lone_request_with_nothing_announced_does_not_wait()
    {
        using var batcher = new InferenceBatcher(tiny.Model, new InferenceBatcherOptions { MaxWait = LongWait });
        var clock = Stopwatch.StartNew();

        var result = await batcher.PredictAsync(tiny.RandomImages(1, seed: 40), 1).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, result.BatchSize);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_batch_waits_for_an_announced_request_at_most_MaxWait()
    {
        var maxWait = TimeSpan.FromMilliseconds(300);
        using var batcher = new InferenceBatcher(tiny.Model, new InferenceBatcherOptions { MaxWait = maxWait });
        using var neverSubmitted = batcher.Expect();
        var clock = Stopwatch.StartNew();

        var result = await batcher.PredictAsync(tiny.RandomImages(1, seed: 50), 1).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, result.BatchSize);
        Assert.InRange(clock.Elapsed, maxWait - TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_cancelled_request_leaves_at_once_and_the_others_still_get_their_results()
    {
        using var batcher = new InferenceBatcher(tiny.Model, new InferenceBatcherOptions { MaxWait = LongWait });
        var holdOpen = batcher.Expect();
        using var cancel = new CancellationTokenSource();
        var kept = tiny.RandomImages(1, seed: 60);
        var cancelled = batcher.PredictAsync(tiny.RandomImages(1, seed: 61), 1, cancel.Token);
        var other = batcher.PredictAsync(kept, 1);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(other.IsCompleted);
        holdOpen.Dispose();
        var result = await other.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(tiny.Model.Predict(kept, 1).Values[0], result.Values[0]);
        Assert.Equal(1, batcher.Images);
    }

    [Fact]
    public async Task An_already_cancelled_token_is_refused_before_queueing()
    {
        using var batcher = new InferenceBatcher(tiny.Model);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => batcher.PredictAsync(tiny.RandomImages(1, seed: 70), 1, new CancellationToken(canceled: true)));
        Assert.Equal(0, batcher.Batches);
    }

    [Fact]
    public async Task Requests_queued_at_disposal_fail_with_ObjectDisposedException()
    {
        var batcher = new InferenceBatcher(tiny.Model, new InferenceBatcherOptions { MaxWait = LongWait });
        batcher.Expect();
        var waiting = batcher.PredictAsync(tiny.RandomImages(1, seed: 80), 1);

        batcher.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => batcher.PredictAsync(tiny.RandomImages(1, seed: 81), 1));
    }

    [Fact]
    public async Task Input_of_the_wrong_length_is_refused()
    {
        using var batcher = new InferenceBatcher(tiny.Model);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => batcher.PredictAsync(new float[tiny.ImageLength + 1], 1));
        Assert.Contains($"Expected 1 images of {tiny.ImageLength} floats", error.Message);
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5, $"value {i}: {expected[i]} vs {actual[i]}");
        }
    }
}
