using Face2Data.Schema;

namespace Face2Data.Explanation;

/// <summary>
/// One head's attribution map as the server's response and the explanation files report it: the grid, the outputs it
/// is relative to and how it was computed. Those documents derive from it and add their own fields.
/// </summary>
public record AttributionSummary
{
    /// <summary>Copies <paramref name="map"/>'s reported fields.</summary>
    public AttributionSummary(AttributionMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        Head = map.Head;
        Kind = map.Kind;
        Class = map.Class;
        Method = ExplanationOptions.NameOf(map.Method);
        Baseline = ExplanationOptions.NameOf(map.Baseline);
        GridSize = map.Grid;
        Grid = map.Rows();
        Output = map.Output;
        BaselineOutput = map.BaselineOutput;
        Sum = map.Sum;
        Evaluations = map.Evaluations;
        Samples = map.Samples;
        Seed = map.Seed;
        Patch = map.Patch;
        Stride = map.Stride;
        InputSize = map.InputSize;
        ElapsedMs = map.Elapsed.TotalMilliseconds;
    }

    /// <summary>The explained head.</summary>
    public string Head { get; init; }

    /// <summary><c>categorical</c> (a class's probability is explained) or <c>regression</c> (the value).</summary>
    public HeadKind Kind { get; init; }

    /// <summary>The explained class; absent for a regression head.</summary>
    public string? Class { get; init; }

    /// <summary><c>occlusion</c> or <c>shap</c>.</summary>
    public string Method { get; init; }

    /// <summary><c>blur</c> or <c>mean</c>: what hidden regions became.</summary>
    public string Baseline { get; init; }

    /// <summary>Cells per side of <see cref="Grid"/>.</summary>
    public int GridSize { get; init; }

    /// <summary>The attributions, rows top first, in the output's unit: positive where the region supported the output.</summary>
    public float[][] Grid { get; init; }

    /// <summary>The explained output for the face, f(x).</summary>
    public double Output { get; init; }

    /// <summary>The explained output with the whole face replaced by the baseline, f(baseline).</summary>
    public double BaselineOutput { get; init; }

    /// <summary>The sum of the grid; for SHAP it equals f(x) − f(baseline).</summary>
    public double Sum { get; init; }

    /// <summary>Model evaluations spent.</summary>
    public int Evaluations { get; init; }

    /// <summary>SHAP's budget; absent for occlusion.</summary>
    public int? Samples { get; init; }

    /// <summary>SHAP's seed; absent for occlusion.</summary>
    public int? Seed { get; init; }

    /// <summary>Occlusion's patch side in model-input pixels; absent for SHAP.</summary>
    public int? Patch { get; init; }

    /// <summary>Occlusion's stride in model-input pixels; absent for SHAP.</summary>
    public int? Stride { get; init; }

    /// <summary>Side of the model's input the grid covers, in pixels.</summary>
    public int InputSize { get; init; }

    /// <summary>Milliseconds spent on this head.</summary>
    public double ElapsedMs { get; init; }
}
