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
    /// UTKFace's aligned 200×200 crops: the median eye centres the bundled 68-point landmark network finds on them.
    /// </summary>
    /// <remarks>Measured with <c>face2data-bench landmarks</c> (see benchmarks/Face2Data.Benchmarks/README.md).</remarks>
    public static EyeAlignment UtkFace { get; } = new(new FacePoint(0.3175f, 0.4325f), new FacePoint(0.6825f, 0.4325f));

    /// <summary>The distance between the two eyes in crop sides (must be greater than 0).</summary>
    public double EyeDistance => Math.Sqrt(Math.Pow(RightEye.X - LeftEye.X, 2) + Math.Pow(RightEye.Y - LeftEye.Y, 2));
}
