namespace Face2Data.Detection;

/// <summary>A face a detector found: its box, the detector's confidence (detector-specific scale) and, when the detector gives them, its landmarks.</summary>
/// <param name="Box">Where the face is, in image pixels.</param>
/// <param name="Score">Detector confidence; higher is surer.</param>
/// <param name="Landmarks">Eyes, nose and mouth corners in image pixels, or null when the detector does not locate them.</param>
public readonly record struct DetectedFace(FaceBox Box, float Score, FaceLandmarks? Landmarks = null);
