using Face2Data.Datasets;
using Face2Data.Onnx.Converters;
using Face2Data.Schema;
using Face2Data.Training.Models;
using OpenCvSharp;

namespace Face2Data.Training.Tests.Features;

/// <summary>Small datasets and a face-api.js-layout trunk for the frozen-feature tests.</summary>
internal static class FeatureTestData
{
    /// <summary>A dataset of <paramref name="count"/> generated 120×100 PNGs with random labels for <paramref name="schema"/>.</summary>
    public static InMemoryDataset Dataset(AttributeSchema schema, int count, int seed)
    {
        var random = new Random(seed);
        var images = new List<byte[]>();
        var samples = new List<FaceSample>();
        for (var i = 0; i < count; i++)
        {
            using var image = new Mat(120, 100, MatType.CV_8UC3);
            Cv2.Randu(image, Scalar.All(0), Scalar.All(255));
            Cv2.Circle(image, new Point(50, 60), 20 + random.Next(20), new Scalar(random.Next(256), random.Next(256), random.Next(256)), -1);
            images.Add(image.ImEncode(".png"));
            var labels = schema.Heads.Select(h => h.Kind == HeadKind.Categorical ? random.Next(h.Classes.Count) : (float)(h.Min + (random.NextDouble() * (h.Max - h.Min)))).Select(v => (float)v).ToArray();
            samples.Add(new FaceSample($"face{i:D3}.png", labels));
        }

        return new InMemoryDataset(schema, samples, images);
    }

    /// <summary>The face recognition trunk with stand-in weights in face-api.js's layout, in eval mode.</summary>
    public static FaceRecognitionResNet Trunk(string folder, int seed, int levels = 1, int trainedBlocks = 0)
    {
        var network = new FaceRecognitionResNet(FaceRecognitionResNet.NativeInputSize, levels, trainedBlocks);
        network.LoadFaceApiWeights(TfjsWeights.Read(FaceRecognitionWeights.Write(Directory.CreateDirectory(Path.Combine(folder, $"weights-{seed}-{levels}-{trainedBlocks}")).FullName, seed)));
        network.eval();
        return network;
    }
}
