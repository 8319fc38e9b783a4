namespace Face2Data.Server;

/// <summary>
/// Bounds how many inferences run at once (<see cref="ServerOptions.MaxConcurrentInferences"/>) and how many requests
/// may wait for a slot (<see cref="ServerOptions.QueueLimit"/>). A request that finds the queue full is refused at
/// once rather than piling up: the server stays responsive and the client is told when to retry.
/// </summary>
public sealed class InferenceQueue : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly int _capacity;
    private readonly int _queueLimit;
    private int _waiting;

    /// <summary>Creates a queue with <paramref name="capacity"/> slots and room for <paramref name="queueLimit"/> waiting requests.</summary>
    public InferenceQueue(int capacity, int queueLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(queueLimit);
        _capacity = capacity;
        _queueLimit = queueLimit;
        _slots = new SemaphoreSlim(capacity, capacity);
    }

    /// <summary>Seconds a refused client is asked to wait before retrying.</summary>
    public int RetryAfterSeconds => 1;

    /// <summary>Requests waiting for a slot now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Inferences running now.</summary>
    public int Running => _capacity - _slots.CurrentCount;

    /// <summary>
    /// Takes a slot, waiting in the queue when all are busy. Dispose the lease to give the slot back.
    /// </summary>
    /// <returns>The lease, or null when the queue is full.</returns>
    /// <exception cref="OperationCanceledException">The wait was cancelled (client gone, request timed out).</exception>
    public async ValueTask<IDisposable?> TryEnterAsync(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, CancellationToken.None))
        {
            return new Lease(_slots);
        }

        if (Interlocked.Increment(ref _waiting) > _queueLimit)
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

        return new Lease(_slots);
    }

    /// <inheritdoc />
    public void Dispose() => _slots.Dispose();

    private sealed class Lease(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
