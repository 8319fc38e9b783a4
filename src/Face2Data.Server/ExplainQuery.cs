using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;

namespace Face2Data.Server;

/// <summary>
/// The options of <c>POST /v1/explain</c> as the query string gives them; each may also come as a multipart text
/// field of the same name, which then wins. All are optional.
/// </summary>
internal sealed record ExplainQuery
{
    /// <summary>The head to explain; every head when absent.</summary>
    [FromQuery(Name = "head")]
    [Description("The head to explain (see GET /v1/model); every head, each at its prediction, when absent.")]
    public string? Head { get; init; }

    /// <summary>The class of the head whose probability is explained; the predicted class when absent.</summary>
    [FromQuery(Name = "class")]
    [Description("The class of 'head' whose probability is explained; the predicted class when absent. Not for a regression head.")]
    public string? Class { get; init; }

    /// <summary><c>occlusion</c> (default) or <c>shap</c>.</summary>
    [FromQuery(Name = "method")]
    [Description("occlusion (default): a sliding patch replaced by the baseline; shap: a KernelSHAP estimate with a fixed sample budget.")]
    public string? Method { get; init; }

    /// <summary>Cells per side of the grid.</summary>
    [FromQuery(Name = "grid")]
    [Description("Cells per side of the attribution grid, 2 to 16 (default 8).")]
    public string? Grid { get; init; }

    /// <summary>SHAP's budget.</summary>
    [FromQuery(Name = "samples")]
    [Description("SHAP budget: coalitions evaluated, at least grid × grid (default 512, at most 2048).")]
    public string? Samples { get; init; }

    /// <summary><c>blur</c> (default) or <c>mean</c>.</summary>
    [FromQuery(Name = "baseline")]
    [Description("What hidden regions become: blur (default) or mean (the face's mean colour).")]
    public string? Baseline { get; init; }

    /// <summary>SHAP's sampling seed.</summary>
    [FromQuery(Name = "seed")]
    [Description("SHAP sampling seed (default 0); the same seed gives the same map.")]
    public string? Seed { get; init; }

    /// <summary>Occlusion patch side.</summary>
    [FromQuery(Name = "patch")]
    [Description("Occlusion patch side in model-input pixels (default two grid cells).")]
    public string? Patch { get; init; }

    /// <summary>Occlusion stride.</summary>
    [FromQuery(Name = "stride")]
    [Description("Occlusion stride in model-input pixels, at most the patch (default one grid cell).")]
    public string? Stride { get; init; }

    /// <summary>Which face, from 1.</summary>
    [FromQuery(Name = "face")]
    [Description("Which face to explain, from 1 = the largest, as numbered by /v1/analyze (default 1).")]
    public string? Face { get; init; }

    /// <summary>Face detection mode.</summary>
    [FromQuery(Name = "detect")]
    public string? Detect { get; init; }

    /// <summary>The face detector for this request; the server's when absent.</summary>
    [FromQuery(Name = "detector")]
    public string? Detector { get; init; }

    /// <summary>The names of the options, as query parameters and form fields.</summary>
    public static IReadOnlyList<string> Names { get; } = ["head", "class", "method", "grid", "samples", "baseline", "seed", "patch", "stride", "face", "detect", "detector"];

    /// <summary>This query with the options the multipart text fields give instead.</summary>
    public ExplainQuery With(IReadOnlyDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        string? Field(string name, string? query) => fields.TryGetValue(name, out var value) ? value : query;
        return new ExplainQuery
        {
            Head = Field("head", Head),
            Class = Field("class", Class),
            Method = Field("method", Method),
            Grid = Field("grid", Grid),
            Samples = Field("samples", Samples),
            Baseline = Field("baseline", Baseline),
            Seed = Field("seed", Seed),
            Patch = Field("patch", Patch),
            Stride = Field("stride", Stride),
            Face = Field("face", Face),
            Detect = Field("detect", Detect),
            Detector = Field("detector", Detector),
        };
    }
}
