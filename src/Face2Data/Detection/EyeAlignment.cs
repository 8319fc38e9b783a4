namespace Face2Data.Detection;

/// <summary>
/// Where a model's training crops put the eyes, as fractions of the crop's side (0 = left or top edge, 1 = right or
/// bottom edge). <see cref="FaceCrop.ExtractAligned"/> cuts a photo's face with the similarity transform (rotation,
/// scale, shift) that puts its eyes there, so the face reaches the model framed as in training.
/// </summary>
/// <param name="LeftEye">The image-left eye's centre in the crop.</param>
/// <param name="RightEye">The image-right eye's centre in the crop.</param>
public sealed record EyeAlignment(FacePoint LeftEye, FacePoint RightEye)
{
    /// <summary>
    /// UTKFace's aligned 200×200 crops: the median eye centres the bundled 68-point landmark network
    /// (<see cref="FaceLandmark68Landmarker"/>) finds on them, (58.0, 58.1) and (135.9, 58.1) pixels.
    /// </summary>
    /// <remarks>
    /// Measured with <c>face2data-bench landmarks --count 500 --seed 1</c> (benchmarks/Face2Data.Benchmarks/README.md):
    /// 500 random crops, the box the whole crop; p10–p90 of each coordinate about ±3 px, roll median 0.1° (p10–p90
    /// −1.8° to 2.3°). With Haar's box on each crop instead the medians move less than 0.6 px.
    /// </remarks>
    public static EyeAlignment UtkFace { get; } = new(new FacePoint(0.290f, 0.2905f), new FacePoint(0.6795f, 0.2905f));

    /// <summary>The distance between the two eyes in crop sides (must be greater than 0).</summary>
    public double EyeDistance => Math.Sqrt(Math.Pow(RightEye.X - LeftEye.X, 2) + Math.Pow(RightEye.Y - LeftEye.Y, 2));
}
