using Face2Data.Detection;

namespace Face2Data.Inference;

// A face the pipeline will analyse: its box, the detector's score (null when the whole image is the face) and its
// landmarks when a detector or landmarker gave them.
internal readonly record struct LocatedFace(FaceBox Box, float? Score, FaceLandmarks? Landmarks);
