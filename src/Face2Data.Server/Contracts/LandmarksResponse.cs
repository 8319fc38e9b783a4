using Face2Data.Detection;

namespace Face2Data.Server.Contracts;

/// <summary>
/// Five points of a face in image pixels and its roll. Left and right are the image's: <c>left_eye</c> is the eye
/// nearer the image's left edge.
/// </summary>
/// <param name="LeftEye">Centre of the eye on the image's left.</param>
/// <param name="RightEye">Centre of the eye on the image's right.</param>
/// <param name="Nose">Tip of the nose.</param>
/// <param name="MouthLeft">Corner of the mouth on the image's left.</param>
/// <param name="MouthRight">Corner of the mouth on the image's right.</param>
/// <param name="RollDegrees">In-plane rotation of the eye line in degrees; positive when the right eye is lower.</param>
public sealed record LandmarksResponse(PointResponse LeftEye, PointResponse RightEye, PointResponse Nose, PointResponse MouthLeft, PointResponse MouthRight, double RollDegrees)
{
    /// <summary>Builds the response from a face's landmarks.</summary>
    public static LandmarksResponse From(FaceLandmarks landmarks)
    {
        ArgumentNullException.ThrowIfNull(landmarks);
        static PointResponse Point(FacePoint p) => new(MathF.Round(p.X, 1), MathF.Round(p.Y, 1));
        return new LandmarksResponse(
            Point(landmarks.LeftEye), Point(landmarks.RightEye), Point(landmarks.Nose), Point(landmarks.MouthLeft), Point(landmarks.MouthRight),
            Math.Round(landmarks.RollDegrees, 1));
    }
}
