using Face2Data.Inference;

namespace Face2Data.Server.Contracts;

/// <summary>Which model answered.</summary>
/// <param name="Name">Model name.</param>
/// <param name="Version">Model version.</param>
public sealed record ModelInfoResponse(string Name, string Version)
{
    /// <summary>From a model's manifest.</summary>
    public static ModelInfoResponse From(ModelManifest manifest) => new(manifest.Name, manifest.Version);
}
