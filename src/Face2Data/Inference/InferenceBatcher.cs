using System.Collections.Concurrent;
using System.Diagnostics;

namespace Face2Data.Inference;

/// <summary>
/// Gathers the face images of concurrent requests into one model run. Callers submit their preprocessed images with
/// <see cref="PredictAsync"/>; one background thread takes what is queued (up to
/// <see cref="InferenceBatcherOptions.MaxBatchSize"/> images, whole requests only), waits at most
/// <see cref="InferenceBatcherOptions.MaxWait"/> for requests announced with <see cref="Expect"/> that are still being
/// decoded, runs the model once through an <see cref="OnnxBatchRunner"/> and hands each request its own rows. With
/// nothing announced a lone request runs at once, so batching costs a single caller only the hand-over to the thread.
/// A request cancelled while it waits leaves at once and is skipped. Dispose the batcher before the model.
/// </summary>
public sealed class InferenceBatcher : IDisposable
{
    private readonly OnnxFaceModel _model;
    private readonly OnnxBatchRunner _runner;
    private readonly ConcurrentQueue<Request> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _thread;
    private int _expected;
    private long _batches;
    private long _images;
    private volatile bool _disposed;

    /// <summary>Starts the batching thread for <paramref name="model"/>, which the batcher uses but does not dispose.</summary>
    public InferenceBatcher(OnnxFaceModel model, InferenceBatcherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Options = options ?? InferenceBatcherOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MaxBatchSize, 1, nameof(options));
        if (Options.MaxWait < TimeSpan.Zero || Options.MaxWait > TimeSpan.FromSeconds(60))
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.MaxWait, "MaxWait must be between 0 and 60 seconds.");
        }

        _model = model;
        _runner = model.CreateRunner(Options.MaxBatchSize);
        _thread = new Thread(Run) { IsBackground = true, Name = "face2data-batcher" };
        _thread.Start();
    }

    /// <summary>The settings in use.</summary>
    public InferenceBatcherOptions Options { get; }

    /// <summary>Model runs made so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Images run so far (the requests' images, cancelled ones included once they were batched).</summary>
    public long Images => Interlocked.Read(ref _images);

    /// <summary>Requests announced and not yet submitted.</summary>
    public int Expected => Volatile.Read(ref _expected);

    /// <summary>
    /// Announces a request that will soon call <see cref="PredictAsync"/> (its image is being decoded), so that a batch
    /// being gathered may wait for it. Dispose the result when the request is submitted, or gives up.
    /// </summary>
    public IDisposable Expect()
    {
        Interlocked.Increment(ref _expected);
        return new Expectation(this);
    }

    /// <summary>
    /// Runs the model on <paramref name="count"/> normalized CHW images laid end to end, batched with other requests'.
    /// The memory must stay unchanged until the task completes.
    /// </summary>
    /// <returns>This request's outputs, rows in the order of its images.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the result came.</exception>
    /// <exception cref="ObjectDisposedException">The batcher is disposed.</exception>
    public async Task<HeadOutputs> PredictAsync(ReadOnlyMemory<float> images, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var imageLength = _model.Manifest.Preprocessing.TensorLength;
        if (images.Length != count * imageLength)
        {
            throw new ArgumentException($"Expected {count} images of {imageLength} floats, got {images.Length} floats.", nameof(images));
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (count > Options.MaxBatchSize)
        {
            return _model.Predict(images.Span, count);
        }

        var request = new Request(images, count);
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.Register(static state => ((Request)state!).Completion.TrySetCanceled(), request)
            : default;
        _queue.Enqueue(request);
        _signal.Release();
        if (_disposed)
        {
            request.Completion.TrySetException(new ObjectDisposedException(nameof(InferenceBatcher)));
        }

        try
        {
            return await request.Completion.Task.ConfigureAwait(false);
        }
        catch (TaskCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    /// <summary>Stops the thread; requests still queued fail with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stopping.Cancel();
        _thread.Join();
        while (_queue.TryDequeue(out var request))
        {
            request.Completion.TrySetException(new ObjectDisposedException(nameof(InferenceBatcher)));
        }

        _runner.Dispose();
        _signal.Dispose();
        _stopping.Dispose();
    }

    private void Run()
    {
        var batch = new List<Request>(Options.MaxBatchSize);
        try
        {
            while (true)
            {
                _signal.Wait(_stopping.Token);
                if (Gather(batch))
                {
                    RunBatch(batch);
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            foreach (var request in batch)
            {
                request.Completion.TrySetException(new ObjectDisposedException(nameof(InferenceBatcher)));
            }
        }
    }

    // Takes queued requests while they fit; then, while the batch has room and announced requests are still on their
    // way, waits for them until MaxWait has passed since the batch began.
    private bool Gather(List<Request> batch)
    {
        var images = 0;
        var started = 0L;
        while (true)
        {
            while (_queue.TryPeek(out var next) && images + next.Count <= Options.MaxBatchSize)
            {
                _queue.TryDequeue(out _);
                if (next.Completion.Task.IsCompleted)
                {
                    continue;
                }

                started = batch.Count == 0 ? Stopwatch.GetTimestamp() : started;
                batch.Add(next);
                images += next.Count;
            }

            var full = images == Options.MaxBatchSize || !_queue.IsEmpty;
            var remaining = Options.MaxWait - Stopwatch.GetElapsedTime(started);
            if (batch.Count == 0 || full || Expected == 0 || remaining <= TimeSpan.Zero)
            {
                return batch.Count > 0;
            }

            _signal.Wait(remaining, _stopping.Token);
        }
    }

    private void RunBatch(List<Request> batch)
    {
        // Requests cancelled while the batch gathered are left out.
        batch.RemoveAll(request => request.Completion.Task.IsCompleted);
        if (batch.Count == 0)
        {
            return;
        }

        var imageLength = _model.Manifest.Preprocessing.TensorLength;
        var total = batch.Sum(r => r.Count);
        try
        {
            var input = _runner.Input(total);
            var offset = 0;
            foreach (var request in batch)
            {
                request.Images.Span.CopyTo(input[(offset * imageLength)..]);
                offset += request.Count;
            }

            var outputs = _runner.Run(total);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _images, total);
            offset = 0;
            foreach (var request in batch)
            {
                request.Completion.TrySetResult(batch.Count == 1 ? outputs : Slice(outputs, offset, request.Count));
                offset += request.Count;
            }
        }
        catch (Exception error)
        {
            foreach (var request in batch)
            {
                request.Completion.TrySetException(error);
            }
        }
    }

    private static HeadOutputs Slice(HeadOutputs outputs, int first, int count)
    {
        var heads = outputs.Schema.Heads;
        var values = new float[heads.Count][];
        for (var i = 0; i < heads.Count; i++)
        {
            var width = heads[i].OutputCount;
            values[i] = outputs.Values[i].AsSpan(first * width, count * width).ToArray();
        }

        return new HeadOutputs(outputs.Schema, count, values);
    }

    private sealed class Request(ReadOnlyMemory<float> images, int count)
    {
        public ReadOnlyMemory<float> Images { get; } = images;

        public int Count { get; } = count;

        // Continuations run on the pool, never on the batching thread.
        public TaskCompletionSource<HeadOutputs> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Expectation(InferenceBatcher batcher) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0 && Interlocked.Decrement(ref batcher._expected) == 0 && !batcher._disposed)
            {
                // A gathering batch may be waiting for this request only; let it go now.
                try
                {
                    batcher._signal.Release();
                }
                catch (ObjectDisposedException)
                {
                    // Disposed meanwhile: nothing is gathering any more.
                }
            }
        }
    }
}
