namespace Face2Data.Inference;

/// <summary>How an <see cref="OnnxFaceModel"/> runs.</summary>
public sealed record OnnxFaceModelOptions
{
    /// <summary>Threads ONNX Runtime may use inside one operator; 0 lets it choose (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>The defaults.</summary>
    public static OnnxFaceModelOptions Default { get; } = new();
}
