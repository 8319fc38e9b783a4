using System.Text.Json.Serialization;

namespace Face2Data.Detection;

/// <summary>
/// Five points of a face in image pixels. Left and right are the image's, not the person's: <see cref="LeftEye"/> is
/// the eye nearer the image's left edge (the person's right eye in a frontal photo).
/// </summary>
/// <param name="LeftEye">Centre of the eye on the image's left.</param>
/// <param name="RightEye">Centre of the eye on the image's right.</param>
/// <param name="Nose">Tip of the nose.</param>
/// <param name="MouthLeft">Corner of the mouth on the image's left.</param>
/// <param name="MouthRight">Corner of the mouth on the image's right.</param>
public sealed record FaceLandmarks(FacePoint LeftEye, FacePoint RightEye, FacePoint Nose, FacePoint MouthLeft, FacePoint MouthRight)
{
    /// <summary>
    /// The face's roll (in-plane rotation) in degrees: the angle of the line from <see cref="LeftEye"/> to
    /// <see cref="RightEye"/> against the horizontal, positive when the right eye is lower (the head tilts clockwise
    /// as seen in the image), between −180 and 180.
    /// </summary>
    public double RollDegrees => Math.Atan2(RightEye.Y - LeftEye.Y, RightEye.X - LeftEye.X) * (180 / Math.PI);

    /// <summary>The five points in order: left eye, right eye, nose, mouth left, mouth right.</summary>
    [JsonIgnore]
    public IReadOnlyList<FacePoint> Points => [LeftEye, RightEye, Nose, MouthLeft, MouthRight];

    /// <summary>The same points under x' = x × scale + offsetX, y' = y × scale + offsetY (e.g. from a reduced image back to full size).</summary>
    public FaceLandmarks Transform(double scale, double offsetX = 0, double offsetY = 0)
    {
        FacePoint Map(FacePoint p) => new((float)((p.X * scale) + offsetX), (float)((p.Y * scale) + offsetY));
        return new FaceLandmarks(Map(LeftEye), Map(RightEye), Map(Nose), Map(MouthLeft), Map(MouthRight));
    }
}
