using Face2Data.Explanation;
using Face2Data.Schema;

namespace Face2Data.Server.Contracts;

/// <summary>One head's explanation: the attribution grid, the outputs it is relative to, and its overlay.</summary>
/// <param name="Head">The explained head.</param>
/// <param name="Kind"><c>categorical</c> (a class's probability is explained) or <c>regression</c> (the value).</param>
/// <param name="Class">The explained class; absent for a regression head.</param>
/// <param name="Method"><c>occlusion</c> or <c>shap</c>.</param>
/// <param name="Baseline"><c>blur</c> or <c>mean</c>: what hidden regions became.</param>
/// <param name="GridSize">Cells per side of <paramref name="Grid"/>.</param>
/// <param name="Grid">The attributions, rows top first, in the output's unit: positive where the region supported the output.</param>
/// <param name="Output">The explained output for the face, f(x).</param>
/// <param name="BaselineOutput">The explained output with the whole face replaced by the baseline, f(baseline).</param>
/// <param name="Sum">The sum of the grid; for SHAP it equals f(x) − f(baseline).</param>
/// <param name="Evaluations">Model evaluations spent.</param>
/// <param name="Samples">SHAP's budget; absent for occlusion.</param>
/// <param name="Seed">SHAP's seed; absent for occlusion.</param>
/// <param name="Patch">Occlusion's patch side in model-input pixels; absent for SHAP.</param>
/// <param name="Stride">Occlusion's stride in model-input pixels; absent for SHAP.</param>
/// <param name="InputSize">Side of the model's input the grid covers, in pixels.</param>
/// <param name="ElapsedMs">Milliseconds spent on this head.</param>
/// <param name="OverlayPng">The grid drawn over the face crop (red: supported, blue: worked against), a base64 PNG.</param>
public sealed record AttributionResponse(
    string Head,
    HeadKind Kind,
    string? Class,
    string Method,
    string Baseline,
    int GridSize,
    float[][] Grid,
    double Output,
    double BaselineOutput,
    double Sum,
    int Evaluations,
    int? Samples,
    int? Seed,
    int? Patch,
    int? Stride,
    int InputSize,
    double ElapsedMs,
    string OverlayPng)
{
    /// <summary>Builds the response from a head's explanation.</summary>
    public static AttributionResponse From(HeadExplanation explanation)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        var map = explanation.Map;
        return new AttributionResponse(
            map.Head,
            map.Kind,
            map.Class,
            ExplanationOptions.NameOf(map.Method),
            ExplanationOptions.NameOf(map.Baseline),
            map.Grid,
            map.Rows(),
            map.Output,
            map.BaselineOutput,
            map.Sum,
            map.Evaluations,
            map.Samples,
            map.Seed,
            map.Patch,
            map.Stride,
            map.InputSize,
            map.Elapsed.TotalMilliseconds,
            Convert.ToBase64String(explanation.OverlayPng));
    }
}
