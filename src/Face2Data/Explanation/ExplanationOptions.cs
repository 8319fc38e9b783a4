namespace Face2Data.Explanation;

/// <summary>
/// How a face is explained, as the command line and the server take it: the method, the grid, the baseline and
/// each method's settings (the others are ignored). Sizes are in pixels of the model's input.
/// </summary>
public sealed record ExplanationOptions
{
    /// <summary>Most masked images per model call.</summary>
    public const int MaxBatchSize = 1024;

    /// <summary>The method's names as the command line and the API spell them.</summary>
    public static IReadOnlyList<string> MethodNames { get; } = ["occlusion", "shap"];

    /// <summary>The baselines' names as the command line and the API spell them.</summary>
    public static IReadOnlyList<string> BaselineNames { get; } = ["blur", "mean"];

    /// <summary>Occlusion (the default) or SHAP.</summary>
    public AttributionMethod Method { get; init; } = AttributionMethod.Occlusion;

    /// <summary>Cells per side of the attribution grid (<see cref="AttributionGrid.MinCells"/> to <see cref="AttributionGrid.MaxCells"/>).</summary>
    public int Grid { get; init; } = 8;

    /// <summary>What a removed region is replaced with.</summary>
    public AttributionBaseline Baseline { get; init; } = AttributionBaseline.Blur;

    /// <summary>Occlusion patch side; null for two grid cells (<see cref="OcclusionOptions.DefaultPatch"/>).</summary>
    public int? Patch { get; init; }

    /// <summary>Occlusion stride; null for one grid cell (<see cref="OcclusionOptions.DefaultStride"/>).</summary>
    public int? Stride { get; init; }

    /// <summary>SHAP coalitions evaluated (the budget); see <see cref="KernelShapOptions.Samples"/>.</summary>
    public int Samples { get; init; } = 512;

    /// <summary>Seed of the SHAP sampling.</summary>
    public int Seed { get; init; }

    /// <summary>Masked images per model call.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The method these options describe, with defaults filled in for an input of <paramref name="inputSize"/> pixels.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting does not fit; the message says which and why.</exception>
    public IAttributionMethod CreateMethod(int inputSize)
    {
        IAttributionMethod method = Method switch
        {
            AttributionMethod.Occlusion => new OcclusionSensitivity(new OcclusionOptions
            {
                Grid = Grid,
                Patch = Patch ?? OcclusionOptions.DefaultPatch(inputSize, Grid),
                Stride = Stride ?? Math.Min(OcclusionOptions.DefaultStride(inputSize, Grid), Patch ?? int.MaxValue),
                BatchSize = BatchSize,
            }),
            AttributionMethod.Shap => new KernelShap(new KernelShapOptions { Grid = Grid, Samples = Samples, Seed = Seed, BatchSize = BatchSize }),
            _ => throw new ArgumentOutOfRangeException(nameof(Method), Method, "Unknown attribution method."),
        };
        Validate(method, inputSize);
        return method;
    }

    /// <summary>Checks the options against an input size without explaining anything.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting does not fit; the message says which and why.</exception>
    public void Validate(int inputSize) => CreateMethod(inputSize);

    /// <summary>Reads a method name (<c>occlusion</c> or <c>shap</c>, any case).</summary>
    /// <exception cref="ArgumentException">Another name.</exception>
    public static AttributionMethod ParseMethod(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "occlusion" => AttributionMethod.Occlusion,
        "shap" => AttributionMethod.Shap,
        _ => throw new ArgumentException($"Unknown explanation method '{name}'; expected one of {string.Join(", ", MethodNames)}.", nameof(name)),
    };

    /// <summary>Reads a baseline name (<c>blur</c> or <c>mean</c>, any case).</summary>
    /// <exception cref="ArgumentException">Another name.</exception>
    public static AttributionBaseline ParseBaseline(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "blur" => AttributionBaseline.Blur,
        "mean" => AttributionBaseline.Mean,
        _ => throw new ArgumentException($"Unknown baseline '{name}'; expected one of {string.Join(", ", BaselineNames)}.", nameof(name)),
    };

    /// <summary>The name of a method as <see cref="ParseMethod"/> reads it.</summary>
    public static string NameOf(AttributionMethod method) => method switch
    {
        AttributionMethod.Occlusion => "occlusion",
        AttributionMethod.Shap => "shap",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    /// <summary>The name of a baseline as <see cref="ParseBaseline"/> reads it.</summary>
    public static string NameOf(AttributionBaseline baseline) => baseline switch
    {
        AttributionBaseline.Blur => "blur",
        AttributionBaseline.Mean => "mean",
        _ => throw new ArgumentOutOfRangeException(nameof(baseline), baseline, null),
    };

    private static void Validate(IAttributionMethod method, int inputSize)
    {
        switch (method)
        {
            case OcclusionSensitivity occlusion:
                occlusion.Options.Validate(inputSize);
                break;
            case KernelShap shap:
                shap.Options.Validate(inputSize);
                break;
        }
    }
}
