using System.Text.Json;
using System.Text.Json.Serialization;
using Face2Data.Imaging;
using Face2Data.Schema;
using Face2Data.Training.Runtime;

namespace Face2Data.Training.Models;

/// <summary>
/// Everything needed to rebuild a model's modules before loading its weights: the architecture name, the schema
/// and the input size. Saved in every checkpoint.
/// </summary>
/// <param name="Architecture">One of <see cref="Architectures"/>.</param>
/// <param name="SchemaJson">The schema as <see cref="AttributeSchema.ToJson"/> writes it.</param>
/// <param name="InputSize">Side of the square input the model was built for.</param>
/// <param name="OptionsJson">The architecture's options record as JSON; empty for its defaults.</param>
public sealed record ModelSpec(string Architecture, string SchemaJson, int InputSize, string OptionsJson = "")
{
    /// <summary>The architectures <see cref="Create"/> builds.</summary>
    public static IReadOnlyList<string> Architectures { get; } = ["f2d", "seed", "densenet121", "face-resnet"];

    /// <summary>The schema the model predicts.</summary>
    public AttributeSchema Schema => AttributeSchema.FromJson(SchemaJson);

    /// <summary>A spec with the architecture's default options, or with <paramref name="optionsJson"/> (see <see cref="WithOptions"/>).</summary>
    public static ModelSpec For(string architecture, AttributeSchema schema, int inputSize, string? optionsJson = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var spec = Architectures.Contains(architecture)
            ? new ModelSpec(architecture, schema.ToJson(), inputSize)
            : throw new ArgumentException($"Unknown model '{architecture}'. Choose one of: {string.Join(", ", Architectures)}.", nameof(architecture));
        return optionsJson is null ? spec : spec.WithOptions(optionsJson);
    }

    /// <summary>
    /// This spec with the architecture's options record given as JSON, such as <c>{"Widths":[32,64,128,256]}</c> for
    /// f2d; properties left out keep their defaults. Names are case-insensitive and unknown names are an error, so a
    /// typo cannot silently train the default network.
    /// </summary>
    /// <exception cref="ArgumentException">The JSON is not an options record of this architecture.</exception>
    public ModelSpec WithOptions(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var type = Architecture switch
        {
            "f2d" => typeof(F2dNetOptions),
            "seed" => typeof(SeedNetOptions),
            "densenet121" => typeof(DenseNetOptions),
            "face-resnet" => typeof(FaceResNetOptions),
            _ => throw new ArgumentException($"Unknown model '{Architecture}'. Choose one of: {string.Join(", ", Architectures)}."),
        };
        try
        {
            var options = JsonSerializer.Deserialize(json, type, OptionsFormat)
                ?? throw new ArgumentException($"Model options for {Architecture} must be a JSON object, not null.", nameof(json));
            return this with { OptionsJson = JsonSerializer.Serialize(options, type, OptionsFormat) };
        }
        catch (JsonException error)
        {
            throw new ArgumentException($"Invalid model options for {Architecture} ({type.Name}): {error.Message}", nameof(json), error);
        }
    }

    /// <summary>
    /// Builds the modules (random weights). Runs the process's oneDNN guard first (<see cref="TorchRuntime"/>), so no
    /// model of ours computes before libtorch's arithmetic has been made correct on this host.
    /// </summary>
    /// <exception cref="OneDnnArithmeticException">No remedy gives correct convolutions on this host.</exception>
    public MultiHeadModel Create()
    {
        TorchRuntime.EnsureCorrectArithmetic();
        return Build();
    }

    private MultiHeadModel Build() => Architecture switch
    {
        "f2d" => new F2dNet(Schema, Options<F2dNetOptions>()),
        "seed" => new SeedNet(Schema, InputSize, Options<SeedNetOptions>()),
        "densenet121" => new DenseNet(Schema, Options<DenseNetOptions>()),
        "face-resnet" => new FaceResNet(Schema, InputSize, Options<FaceResNetOptions>()),
        _ => throw new ArgumentException($"Unknown model '{Architecture}'. Choose one of: {string.Join(", ", Architectures)}."),
    };

    /// <summary>
    /// How images become this model's input at <paramref name="size"/>: face-api.js's normalization for
    /// <c>face-resnet</c> (its pretrained trunk expects it), Face2Data's default (mean 0.5, std 0.25) otherwise.
    /// </summary>
    public ImagePreprocessing Preprocessing(int size, ResizeMethod resize) => Architecture == "face-resnet"
        ? FaceRecognitionResNet.Preprocessing(size) with { Resize = resize }
        : new ImagePreprocessing { Size = size, Resize = resize };

    /// <summary>
    /// The parts in which this spec builds another network than <paramref name="other"/> ("architecture", "options",
    /// "schema", "input size"); empty when both build the same one. Options are compared with their defaults filled
    /// in, so a spec written before an option existed equals one that states that option's default.
    /// </summary>
    public IReadOnlyList<string> DifferencesFrom(ModelSpec other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var differences = new List<string>();
        if (Architecture != other.Architecture)
        {
            differences.Add("architecture");
        }
        else if (Complete().OptionsJson != other.Complete().OptionsJson)
        {
            differences.Add("options");
        }

        if (SchemaJson != other.SchemaJson)
        {
            differences.Add("schema");
        }

        if (InputSize != other.InputSize)
        {
            differences.Add("input size");
        }

        return differences;
    }

    // This spec with every option stated (the defaults filled in).
    private ModelSpec Complete() => WithOptions(string.IsNullOrEmpty(OptionsJson) ? "{}" : OptionsJson);

    private static readonly JsonSerializerOptions OptionsFormat = new()
    {
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The options record as <typeparamref name="T"/>; null when the spec keeps the architecture's defaults.</summary>
    public T? Options<T>() where T : class =>
        string.IsNullOrEmpty(OptionsJson) ? null : JsonSerializer.Deserialize<T>(OptionsJson, OptionsFormat);
}
