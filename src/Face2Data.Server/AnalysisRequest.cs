using Face2Data.Detection;

namespace Face2Data.Server;

/// <summary>
/// The per-request options of an analysis, from the query string (<c>detect</c>, <c>max_faces</c>, <c>detector</c>).
/// </summary>
/// <param name="Detection">Whether faces are detected first.</param>
/// <param name="MaxFaces">Most faces analysed (the largest ones).</param>
/// <param name="Detector">A registered detector's name (lower case) for this request; null for the server's.</param>
internal readonly record struct AnalysisRequest(DetectionMode Detection, int MaxFaces, string? Detector = null)
{
    /// <summary>
    /// Parses the query options; absent ones take the defaults (<c>auto</c>, the server's maximum, the server's
    /// detector). Whether the detector's name is known is checked where the detectors are (<see cref="AnalysisService"/>).
    /// </summary>
    /// <exception cref="ProblemException">A value is not accepted (400 invalid-parameter).</exception>
    public static AnalysisRequest Parse(string? detect, string? maxFaces, int serverMaxFaces, string? detector = null)
    {
        var detection = detect?.ToLowerInvariant() switch
        {
            null or "" or "auto" => DetectionMode.Auto,
            "always" => DetectionMode.Always,
            "never" => DetectionMode.Never,
            _ => throw new ProblemException(ProblemKind.InvalidParameter, "'detect' must be auto, always or never."),
        };
        var faces = serverMaxFaces;
        if (!string.IsNullOrEmpty(maxFaces))
        {
            if (!int.TryParse(maxFaces, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out faces) || faces < 1 || faces > serverMaxFaces)
            {
                throw new ProblemException(ProblemKind.InvalidParameter, $"'max_faces' must be a whole number from 1 to {serverMaxFaces}.");
            }
        }

        return new AnalysisRequest(detection, faces, string.IsNullOrWhiteSpace(detector) ? null : detector.Trim().ToLowerInvariant());
    }
}
