namespace Face2Data.Server.Contracts;

/// <summary>The charts in <c>Server:AssetsDirectory</c> (training curves, dataset distributions), for the pages.</summary>
/// <param name="Files">The image files, by name.</param>
public sealed record AssetsResponse(IReadOnlyList<AssetResponse> Files);

/// <summary>One chart.</summary>
/// <param name="Name">File name, such as <c>training-curves.png</c>.</param>
/// <param name="Url">Where the server serves it.</param>
public sealed record AssetResponse(string Name, string Url);
