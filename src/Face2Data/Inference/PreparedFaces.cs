using System.Buffers;
using System.Diagnostics;
using Face2Data.Detection;

namespace Face2Data.Inference;

// The faces of one image, ready for the model: their full-resolution boxes and their inputs in a pooled buffer,
// which Dispose returns.
internal sealed class PreparedFaces(int tensorLength, int width, int height, int count, double decodeMs, double detectMs) : IDisposable
{
    private readonly int _tensorLength = tensorLength;
    private readonly List<LocatedFace> _faces = new(count);
    private float[]? _input = count == 0 ? null : ArrayPool<float>.Shared.Rent(count * tensorLength);

    public int Count => count;

    public ReadOnlyMemory<float> Input => _input.AsMemory(0, count * _tensorLength);

    public Stopwatch Clock { get; } = new();

    public double PreprocessMs { get; set; }

    public Span<float> Tensor(int face) => _input.AsSpan(face * _tensorLength, _tensorLength);

    public void Add(LocatedFace face) => _faces.Add(face);

    /// <summary>The faces' full-resolution boxes, detection scores and landmarks, in order.</summary>
    public IReadOnlyList<LocatedFace> Faces => _faces;

    public FaceAnalysis ToAnalysis(IReadOnlyList<FaceResult> results) =>
        new(width, height, results, new AnalysisTimings(decodeMs, detectMs, PreprocessMs + Clock.Elapsed.TotalMilliseconds));

    public void Dispose()
    {
        if (_input is { } input)
        {
            _input = null;
            ArrayPool<float>.Shared.Return(input);
        }
    }
}
