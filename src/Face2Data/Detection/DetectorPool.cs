using System.Collections.Concurrent;

namespace Face2Data.Detection;

/// <summary>
/// Native detectors for concurrent callers. OpenCV's <c>CascadeClassifier</c> and <c>FaceDetectorYN</c> keep
/// per-call state inside the object (the scaled image pyramid, the network's blobs), so one instance must not run
/// on two threads at once; rather than serialising callers behind a lock, each call borrows an idle instance or
/// makes one, and gives it back. The pool holds at most as many instances as calls ever ran at once.
/// </summary>
internal sealed class DetectorPool<T> : IDisposable
    where T : class, IDisposable
{
    private readonly Func<T> _create;
    private readonly ConcurrentBag<T> _idle = [];
    private readonly List<T> _all = [];
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>Creates the first instance now, so a bad configuration fails at construction.</summary>
    public DetectorPool(Func<T> create)
    {
        _create = create;
        Return(Track(create()));
    }

    /// <summary>Runs <paramref name="use"/> with an instance no other thread is using.</summary>
    public TResult Use<TResult>(Func<T, TResult> use)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        var instance = _idle.TryTake(out var idle) ? idle : Track(_create());
        try
        {
            return use(instance);
        }
        finally
        {
            Return(instance);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var instance in _all)
            {
                instance.Dispose();
            }

            _all.Clear();
            _idle.Clear();
        }
    }

    private T Track(T instance)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                instance.Dispose();
                throw new ObjectDisposedException(GetType().Name);
            }

            _all.Add(instance);
            return instance;
        }
    }

    private void Return(T instance)
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _idle.Add(instance);
            }
        }
    }
}
