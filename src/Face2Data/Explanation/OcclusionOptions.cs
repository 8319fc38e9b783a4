namespace Face2Data.Explanation;

/// <summary>Settings of <see cref="OcclusionSensitivity"/>; sizes are in pixels of the model's input.</summary>
public sealed record OcclusionOptions
{
    /// <summary>Cells per side of the grid the attributions are reported on.</summary>
    public int Grid { get; init; } = 8;

    /// <summary>Side of the square patch replaced by the baseline.</summary>
    public required int Patch { get; init; }

    /// <summary>Step between patch positions; at most <see cref="Patch"/>, so every pixel is covered.</summary>
    public required int Stride { get; init; }

    /// <summary>Masked images per model call.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The defaults for an input of <paramref name="inputSize"/> pixels: a patch of two cells moved by one cell.</summary>
    public static OcclusionOptions For(int inputSize, int grid = 8) => new()
    {
        Grid = grid,
        Patch = DefaultPatch(inputSize, grid),
        Stride = DefaultStride(inputSize, grid),
    };

    /// <summary>Two grid cells (rounded), at least one pixel and at most the input.</summary>
    public static int DefaultPatch(int inputSize, int grid) => Math.Clamp((int)Math.Round(2.0 * inputSize / grid), 1, Math.Max(1, inputSize));

    /// <summary>One grid cell (rounded), at least one pixel.</summary>
    public static int DefaultStride(int inputSize, int grid) => Math.Max(1, (int)Math.Round((double)inputSize / grid));

    /// <summary>Checks the settings against an input size.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message says which and why.</exception>
    public void Validate(int inputSize)
    {
        AttributionGrid.Check(inputSize, Grid);
        if (Patch < 1 || Patch > inputSize)
        {
            throw new ArgumentOutOfRangeException(nameof(Patch), Patch, $"The occlusion patch must be 1 to {inputSize} px (the model's input side).");
        }

        if (Stride < 1 || Stride > Patch)
        {
            throw new ArgumentOutOfRangeException(nameof(Stride), Stride, $"The occlusion stride must be 1 to {Patch} px (the patch side), so that every pixel is covered.");
        }

        if (BatchSize is < 1 or > ExplanationOptions.MaxBatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"The batch size must be 1 to {ExplanationOptions.MaxBatchSize}.");
        }
    }
}
