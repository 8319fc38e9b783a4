using Face2Data.Datasets;
using OpenCvSharp;

namespace Face2Data.Testing;

/// <summary>
/// A UTKFace-style folder of generated images whose labels show in the pixels, so a model can learn them:
/// brightness grows with age, gender sets a red or blue tint, race sets which band of rows holds a stripe.
/// </summary>
internal static class SyntheticFaces
{
    public static UtkFaceDataset Create(string folder, int count, int size, int seed = 1)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var age = random.Next(1, 90);
            var gender = random.Next(2);
            var race = random.Next(5);
            using var image = new Mat(size, size, MatType.CV_8UC3, Scalar.All(40 + (age * 2)));
            var tint = gender == 0 ? new Scalar(200, 40, 40) : new Scalar(40, 40, 200);
            Cv2.Rectangle(image, new Rect(0, 0, size, size / 4), tint, -1);
            var band = size / 5;
            Cv2.Rectangle(image, new Rect(0, race * band, size, Math.Max(1, band / 2)), Scalar.All(255), -1);
            using var noise = new Mat(size, size, MatType.CV_8UC3);
            Cv2.Randu(noise, Scalar.All(0), Scalar.All(12));
            Cv2.Add(image, noise, image);
            Cv2.ImWrite(Path.Combine(folder, $"{age}_{gender}_{race}_20170101000000{i:D3}.jpg.chip.jpg"), image);
        }

        return UtkFaceDataset.Open(folder);
    }
}
