using Face2Data.Inference;
using Face2Data.Onnx.Converters;
using Face2Data.Training.Features;
using Face2Data.Training.Models;
using Face2Data.Training.Tests.Export;
using TorchSharp;

namespace Face2Data.Training.Tests.Models;

/// <summary>
/// <see cref="AgeGenderXception"/> loaded from weights in face-api.js's layout gives the features that the converted
/// network (<see cref="AgeGenderConverter"/>, itself checked against a TensorFlow-layout reference and face-api.js)
/// turns into its age and gender; its ONNX form, resize included, equals TorchSharp; weights of another network or
/// shape are refused with the name of what is wrong.
/// </summary>
public sealed class AgeGenderXceptionTests : IDisposable
{
    private const int Side = AgeGenderConverter.InputSize;

    private readonly string _folder = Directory.CreateTempSubdirectory("age-gender-xception-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Its_features_through_face_api_js_last_layers_give_the_converted_networks_age_and_gender()
    {
        var manifest = AgeGenderWeights.Write(_folder, seed: 7);
        var onnx = Path.Combine(_folder, "age_gender.onnx");
        AgeGenderConverter.Convert(manifest, onnx);
        var weights = TfjsWeights.Read(manifest);
        const int Batch = 3;
        var input = RandomImages(AgeGenderConverter.Manifest.Preprocessing, Batch, seed: 12);

        using var model = OnnxFaceModel.Load(onnx);
        var expected = model.Predict(input, Batch);
        using var trunk = new AgeGenderXception(Side, AgeGenderWeights.Channels);
        trunk.LoadFaceApiWeights(weights);
        trunk.eval();
        using var noGrad = torch.no_grad();
        using var images = torch.tensor(input, [Batch, 3, Side, Side]);
        using var features = trunk.forward(images);
        using var age = torch.matmul(features, Tensor(weights["fc/age/weights"])).add(Tensor(weights["fc/age/bias"]));
        using var logits = torch.matmul(features, Tensor(weights["fc/gender/weights"])).add(Tensor(weights["fc/gender/bias"]));
        using var gender = logits.softmax(1);

        Assert.Equal([Batch, (long)AgeGenderWeights.Channels[4]], features.shape);
        Assert.Equal(AgeGenderWeights.Channels[4], trunk.Width);
        ExportTestData.AssertMatchesRelative(expected["age"], age.data<float>().ToArray(), "ages");
        ExportTestData.AssertMatchesRelative(expected["gender"], gender.data<float>().ToArray(), "gender probabilities");
    }

    [Theory]
    [InlineData(112)]
    [InlineData(96)] // 96/150 as a float scale floors to 95 pixels: the graph must resize to sizes, not scales
    public void At_the_face_resnets_150_px_its_onnx_form_resizes_and_computes_as_TorchSharp(int networkSize)
    {
        var weights = TfjsWeights.Read(AgeGenderWeights.Write(_folder, seed: 7));
        var preprocessing = FaceRecognitionResNet.Preprocessing();
        const int Batch = 2;
        var input = RandomImages(preprocessing, Batch, seed: 14);
        using var trunk = new AgeGenderXception(preprocessing.Size, AgeGenderWeights.Channels, networkSize);
        trunk.LoadFaceApiWeights(weights);
        trunk.eval();

        using var extractor = new TrunkFeatureExtractor(trunk, preprocessing.Size, trunk.Width, threads: 1);
        var exported = extractor.Run(input, Batch);
        using var noGrad = torch.no_grad();
        using var images = torch.tensor(input, [Batch, 3, preprocessing.Size, preprocessing.Size]);
        using var features = trunk.forward(images);
        // The resize is OpenCV's bilinear one (half-pixel centres, no antialiasing) of each image before the trunk.
        using var native = new AgeGenderXception(networkSize, AgeGenderWeights.Channels, networkSize);
        native.LoadFaceApiWeights(weights);
        native.eval();
        using var resized = torch.tensor(Enumerable.Range(0, Batch).SelectMany(i => ResizedByOpenCv(input.AsSpan(i * preprocessing.TensorLength, preprocessing.TensorLength).ToArray(), preprocessing.Size, networkSize)).ToArray(), [Batch, 3, networkSize, networkSize]);
        using var fromResized = native.forward(resized);

        ExportTestData.AssertMatchesRelative(features.data<float>().ToArray(), exported, "features of the ONNX graph");
        ExportTestData.AssertMatchesRelative(fromResized.data<float>().ToArray(), features.data<float>().ToArray(), "features of the OpenCV-resized image");
    }

    // One CHW float image resized with OpenCV's INTER_LINEAR, back in CHW.
    private static float[] ResizedByOpenCv(float[] chw, int side, int target)
    {
        var planes = Enumerable.Range(0, 3).Select(c =>
        {
            using var plane = new OpenCvSharp.Mat(side, side, OpenCvSharp.MatType.CV_32FC1);
            plane.SetArray(chw.AsSpan(c * side * side, side * side).ToArray());
            using var small = new OpenCvSharp.Mat();
            OpenCvSharp.Cv2.Resize(plane, small, new OpenCvSharp.Size(target, target), interpolation: OpenCvSharp.InterpolationFlags.Linear);
            small.GetArray(out float[] values);
            return values;
        });
        return planes.SelectMany(p => p).ToArray();
    }

    [Fact]
    public void Weights_of_another_network_or_width_are_refused_naming_what_is_wrong()
    {
        using var trunk = new AgeGenderXception();
        var landmarks = TfjsWeights.Read(FaceLandmark68Weights.Write(Directory.CreateDirectory(Path.Combine(_folder, "landmarks")).FullName, seed: 4));
        var narrow = TfjsWeights.Read(AgeGenderWeights.Write(Directory.CreateDirectory(Path.Combine(_folder, "narrow")).FullName, seed: 4));

        var other = Assert.Throws<InvalidDataException>(() => trunk.LoadFaceApiWeights(landmarks));
        var width = Assert.Throws<InvalidDataException>(() => trunk.LoadFaceApiWeights(narrow));

        Assert.Contains("not face-api.js's age and gender network's manifest", other.Message);
        Assert.Contains("entry_flow/conv_in/filters", width.Message);
        Assert.Throws<ArgumentException>(() => trunk.forward(torch.zeros(1, 3, 150, 150)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AgeGenderXception(150, networkSize: 100));
    }

    private static float[] RandomImages(Face2Data.Imaging.ImagePreprocessing preprocessing, int count, int seed)
    {
        var random = new Random(seed);
        var result = new float[count * preprocessing.TensorLength];
        for (var i = 0; i < count; i++)
        {
            var rgb = Enumerable.Range(0, 3 * preprocessing.Size * preprocessing.Size).Select(_ => (byte)random.Next(256)).ToArray();
            preprocessing.Normalize(rgb, result.AsSpan(i * preprocessing.TensorLength, preprocessing.TensorLength));
        }

        return result;
    }

    private static torch.Tensor Tensor(TfWeight weight) => torch.tensor(weight.Values, weight.Shape.Select(d => (long)d).ToArray());
}
