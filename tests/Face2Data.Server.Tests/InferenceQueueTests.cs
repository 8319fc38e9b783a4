namespace Face2Data.Server.Tests;

public sealed class InferenceQueueTests
{
    [Fact]
    public async Task Requests_beyond_the_slots_wait_and_beyond_the_queue_are_refused()
    {
        using var queue = new InferenceQueue(capacity: 2, queueLimit: 1);
        var first = await queue.TryEnterAsync(CancellationToken.None);
        var second = await queue.TryEnterAsync(CancellationToken.None);
        var waiting = queue.TryEnterAsync(CancellationToken.None).AsTask();

        var refused = await queue.TryEnterAsync(CancellationToken.None);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(refused);
        Assert.False(waiting.IsCompleted);
        Assert.Equal((2, 1), (queue.Running, queue.Waiting));
        first!.Dispose();
        first.Dispose(); // a second dispose gives nothing back twice
        var third = await waiting;
        Assert.NotNull(third);
        Assert.Equal((2, 0), (queue.Running, queue.Waiting));
        second!.Dispose();
        third!.Dispose();
        Assert.Equal(0, queue.Running);
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_the_queue()
    {
        using var queue = new InferenceQueue(capacity: 1, queueLimit: 1);
        using var held = await queue.TryEnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = queue.TryEnterAsync(cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, queue.Waiting);
    }
}
