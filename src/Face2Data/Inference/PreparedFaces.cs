using System.Buffers;
using System.Diagnostics;
using Face2Data.Detection;

namespace Face2Data.Inference;

// The faces of one image, ready for the model: their full-resolution boxes and their inputs in a pooled buffer,
// which Dispose returns.
internal sealed class PreparedFaces(int tensorLength, int width, int height, int count, double decodeMs, double detectMs) : IDisposable
{
    private readonly int _tensorLength = tensorLength;
    private readonly List<(FaceBox Box, float? Score)> _faces = new(count);
    private float[]? _input = count == 0 ? null : ArrayPool<float>.Shared.Rent(count * tensorLength);

    public int Count => count;

    public ReadOnlyMemory<float> Input => _input.AsMemory(0, count * _tensorLength);

    public Stopwatch Clock { get; } = new();

    public double PreprocessMs { get; set; }

    public Span<float> Tensor(int face) => _input.AsSpan(face * _tensorLength, _tensorLength);

    public void Add(FaceBox box, float? score) => _faces.Add((box, score));

    /// <summary>The faces' full-resolution boxes and detection scores, in order.</summary>
    public IReadOnlyList<(FaceBox Box, float? Score)> Faces => _faces;

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
