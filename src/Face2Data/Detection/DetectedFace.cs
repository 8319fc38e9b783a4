namespace Face2Data.Detection;

/// <summary>A face a detector found: its box and the detector's confidence (detector-specific scale).</summary>
/// <param name="Box">Where the face is, in image pixels.</param>
/// <param name="Score">Detector confidence; higher is surer.</param>
public readonly record struct DetectedFace(FaceBox Box, float Score);
