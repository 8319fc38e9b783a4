using Face2Data.Detection;

namespace Face2Data.Inference;

/// <summary>One face in an image and what the model says about it.</summary>
/// <param name="Box">The face's box in the (upright) image.</param>
/// <param name="Detected">True when a detector found the face; false when the whole image was analysed as one face.</param>
/// <param name="DetectionScore">The detector's confidence, or null when not detected.</param>
/// <param name="Attributes">One prediction per schema head, by head name, in schema order.</param>
/// <param name="Landmarks">Eyes, nose and mouth corners in image pixels, with the roll angle, when a detector or landmarker located them.</param>
public sealed record FaceResult(FaceBox Box, bool Detected, float? DetectionScore, IReadOnlyDictionary<string, AttributePrediction> Attributes, FaceLandmarks? Landmarks = null);
