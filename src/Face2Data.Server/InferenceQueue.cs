namespace Face2Data.Server;

/// <summary>
/// Bounds how many inferences run at once (<see cref="ServerOptions.MaxConcurrentInferences"/>) and how many requests
/// may wait for a slot. The wait is bounded in time as well as in count: the queue measures how long a slot is held
/// (a moving average) and takes a request only while the slots can serve everyone ahead of it within
/// <see cref="ServerOptions.MaxQueueWaitMs"/>, and never more than <see cref="ServerOptions.QueueLimit"/>. A request
/// that finds the queue full is refused at once rather than piling up: the server stays responsive and the client is
/// told when to retry.
/// </summary>
internal sealed class InferenceQueue : IDisposable
{
    // Weight of the newest slot time in the moving average: about the last 20 inferences count.
    private const double Smoothing = 0.05;

    private readonly SemaphoreSlim _slots;
    private readonly int _capacity;
    private readonly int _queueLimit;
    private readonly double _maxWaitMs;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private double _slotMs;
    private int _waiting;

    /// <summary>Creates a queue with <paramref name="capacity"/> slots and room for <paramref name="queueLimit"/> waiting requests.</summary>
    /// <param name="capacity">Inferences that run at once.</param>
    /// <param name="queueLimit">Most requests that may wait for a slot.</param>
    /// <param name="maxWaitMs">Longest wait, in milliseconds, the queue lets a request in for; 0 bounds it by count only.</param>
    /// <param name="time">The clock that times the slots (the system's by default).</param>
    public InferenceQueue(int capacity, int queueLimit, double maxWaitMs = 0, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(queueLimit);
        ArgumentOutOfRangeException.ThrowIfNegative(maxWaitMs);
        _capacity = capacity;
        _queueLimit = queueLimit;
        _maxWaitMs = maxWaitMs;
        _time = time ?? TimeProvider.System;
        _slots = new SemaphoreSlim(capacity, capacity);
    }

    /// <summary>Seconds a refused client is asked to wait before retrying.</summary>
    public int RetryAfterSeconds => 1;

    /// <summary>Requests waiting for a slot now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Inferences running now.</summary>
    public int Running => _capacity - _slots.CurrentCount;

    /// <summary>Moving average of how long an inference holds its slot, in milliseconds; 0 before the first one ends.</summary>
    public double SlotMs
    {
        get
        {
            lock (_gate)
            {
                return _slotMs;
            }
        }
    }

    /// <summary>
    /// Most requests that may wait now: <see cref="ServerOptions.QueueLimit"/>, lowered to what the slots serve within
    /// the wait bound at the measured slot time, though never below one request per slot while the count allows it.
    /// </summary>
    public int Limit
    {
        get
        {
            var slotMs = SlotMs;
            if (_maxWaitMs <= 0 || slotMs <= 0)
            {
                return _queueLimit;
            }

            var served = _maxWaitMs / slotMs * _capacity;
            return (int)Math.Min(_queueLimit, Math.Max(_capacity, Math.Floor(served)));
        }
    }

    /// <summary>
    /// Whether a request arriving now would get a slot or a place in the queue. Cheap and without side effects, so a
    /// request can be refused before its upload is read; <see cref="TryEnterAsync"/> still decides.
    /// </summary>
    public bool HasRoom => _slots.CurrentCount > 0 || Waiting < Limit;

    /// <summary>
    /// Takes a slot, waiting in the queue when all are busy. Dispose the lease to give the slot back.
    /// </summary>
    /// <returns>The lease, or null when the queue is full.</returns>
    /// <exception cref="OperationCanceledException">The wait was cancelled (client gone, request timed out).</exception>
    public async ValueTask<IDisposable?> TryEnterAsync(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, CancellationToken.None))
        {
            return new Lease(this);
        }

        if (Interlocked.Increment(ref _waiting) > Limit)
        {
            Interlocked.Decrement(ref _waiting);
            return null;
        }

        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }

        return new Lease(this);
    }

    /// <summary>The 429 problem for a request the queue refused, with its <c>Retry-After</c>.</summary>
    public ProblemException Refusal() => new(
        ProblemKind.QueueFull,
        $"All {_capacity} inference slots are busy and {Waiting} requests are already waiting; retry in {RetryAfterSeconds} s.",
        RetryAfterSeconds);

    /// <inheritdoc />
    public void Dispose() => _slots.Dispose();

    private void Release(TimeSpan held)
    {
        lock (_gate)
        {
            _slotMs = _slotMs == 0 ? held.TotalMilliseconds : _slotMs + (Smoothing * (held.TotalMilliseconds - _slotMs));
        }

        _slots.Release();
    }

    private sealed class Lease(InferenceQueue queue) : IDisposable
    {
        private readonly long _start = queue._time.GetTimestamp();
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                queue.Release(queue._time.GetElapsedTime(_start));
            }
        }
    }
}
