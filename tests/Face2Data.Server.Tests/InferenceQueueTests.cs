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

    [Fact]
    public async Task The_wait_bound_lets_in_only_what_the_slots_serve_in_time()
    {
        var clock = new ManualClock();
        using var queue = new InferenceQueue(capacity: 2, queueLimit: 100, maxWaitMs: 1000, clock);
        Assert.Equal(100, queue.Limit); // nothing measured yet: the count alone bounds the queue
        var measured = await queue.TryEnterAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        measured!.Dispose();

        // One inference took 100 ms, so 2 slots serve 20 requests in 1 s.
        Assert.Equal(100, queue.SlotMs, 1e-9);
        Assert.Equal(20, queue.Limit);
        using var first = await queue.TryEnterAsync(CancellationToken.None);
        using var second = await queue.TryEnterAsync(CancellationToken.None);
        var waiting = Enumerable.Range(0, queue.Limit).Select(_ => queue.TryEnterAsync(CancellationToken.None).AsTask()).ToList();
        Assert.False(queue.HasRoom);
        Assert.Null(await queue.TryEnterAsync(CancellationToken.None));
        Assert.Equal(queue.Limit, queue.Waiting);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));
    }

    [Fact]
    public async Task A_slow_inference_still_leaves_one_place_per_slot()
    {
        var clock = new ManualClock();
        using var queue = new InferenceQueue(capacity: 2, queueLimit: 10, maxWaitMs: 1, clock);
        var measured = await queue.TryEnterAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(50));
        measured!.Dispose();

        Assert.Equal(50, queue.SlotMs, 1e-9);
        Assert.Equal(2, queue.Limit);
    }

    [Fact]
    public async Task HasRoom_tells_whether_a_request_would_get_a_slot_or_a_place()
    {
        using var queue = new InferenceQueue(capacity: 1, queueLimit: 1);
        Assert.True(queue.HasRoom);
        using var held = await queue.TryEnterAsync(CancellationToken.None);
        Assert.True(queue.HasRoom); // a place in the queue is free
        var waiting = queue.TryEnterAsync(CancellationToken.None).AsTask();

        Assert.False(queue.HasRoom);
        var refusal = queue.Refusal();
        Assert.Equal(ProblemKind.QueueFull, refusal.Kind);
        Assert.Equal(1, refusal.RetryAfterSeconds);
        Assert.Equal("All 1 inference slots are busy and 1 requests are already waiting; retry in 1 s.", refusal.Message);
        held!.Dispose();
        (await waiting)!.Dispose();
        Assert.True(queue.HasRoom);
    }

    /// <summary>A clock that moves only when told, so slot times are exact.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
