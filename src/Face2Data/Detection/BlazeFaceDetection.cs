namespace Face2Data.Detection;

/// <summary>
/// A face <see cref="BlazeFaceDetector"/> found, with MediaPipe's six keypoints in image pixels, in the network's
/// order: the subject's right eye, left eye, nose tip, mouth centre, right ear tragion, left ear tragion (the
/// subject's right eye appears on the image's left).
/// </summary>
public sealed record BlazeFaceDetection(DetectedFace Face, IReadOnlyList<FacePoint> Keypoints);
