namespace Face2Data.Explanation;

/// <summary>How an attribution map is computed. Both methods only run the model, so any exported model can be explained.</summary>
public enum AttributionMethod
{
    /// <summary>Occlusion sensitivity: how much the output drops when a sliding patch is replaced by the baseline (<see cref="OcclusionSensitivity"/>).</summary>
    Occlusion,

    /// <summary>A KernelSHAP estimate of each grid cell's Shapley value, from a fixed budget of coalitions (<see cref="KernelShap"/>).</summary>
    Shap,
}
