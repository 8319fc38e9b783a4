using Face2Data.Detection;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Face2Data.Imaging;
using Face2Data.Schema;

namespace Face2Data.Inference;

/// <summary>
/// Everything needed to use an exported model besides its graph: what it predicts (schema), how to prepare its
/// input (preprocessing, crop geometry), and where it comes from (architecture, metrics, data, license). It is stored
/// in the ONNX file's metadata, one <c>face2data.*</c> key per field, each value JSON.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>Prefix of every metadata key this manifest writes.</summary>
    public const string KeyPrefix = "face2data.";

    private const string FormatKey = KeyPrefix + "format";
    private const string NameKey = KeyPrefix + "name";
    private const string VersionKey = KeyPrefix + "version";
    private const string ArchitectureKey = KeyPrefix + "architecture";
    private const string SchemaKey = KeyPrefix + "schema";
    private const string PreprocessingKey = KeyPrefix + "preprocessing";
    private const string CropKey = KeyPrefix + "crop";
    private const string MetricsKey = KeyPrefix + "metrics";
    private const string TrainingDataKey = KeyPrefix + "training_data";
    private const string LicenseKey = KeyPrefix + "license";
    private const string CreatedKey = KeyPrefix + "created_utc";
    private const string TestTimeFlipKey = KeyPrefix + "test_time_flip";
    private const string AfterTrainingKey = KeyPrefix + "after_training";
    private const string TeacherKey = KeyPrefix + "teacher";
    private const int Format = 1;

    private static readonly string[] RequiredKeys =
        [NameKey, VersionKey, ArchitectureKey, SchemaKey, PreprocessingKey, CropKey, MetricsKey, TrainingDataKey, LicenseKey, CreatedKey];

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Metadata is never embedded in HTML, so keep text such as '+' or 'é' readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Model name, such as <c>utkface-seednet</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Model version, free text such as <c>1.0.0</c>.</summary>
    public string Version { get; init; } = "1";

    /// <summary>Network architecture and its settings, such as <c>seednet-w32</c>.</summary>
    public required string Architecture { get; init; }

    /// <summary>The heads the model predicts; its ONNX outputs carry the head names.</summary>
    public required AttributeSchema Schema { get; init; }

    /// <summary>How a face crop becomes the model's input tensor.</summary>
    public required ImagePreprocessing Preprocessing { get; init; }

    /// <summary>How the face crop relates to a detector's face box.</summary>
    public CropGeometry Crop { get; init; } = CropGeometry.Identity;

    /// <summary>Evaluation figures by name, such as <c>age_mae</c> or <c>gender_accuracy</c>.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>What the model was trained on, such as <c>UTKFace (21,419 images), 80/10/10 split</c>.</summary>
    public string TrainingData { get; init; } = "";

    /// <summary>Terms of use of the model, which follow its training data's license.</summary>
    public string License { get; init; } = "";

    /// <summary>When the model was exported (UTC).</summary>
    public DateTimeOffset CreatedUtc { get; init; }

    /// <summary>
    /// True when the graph itself averages its outputs over the input and its mirror image (test-time flip), so
    /// every caller gets the augmented prediction from one run.
    /// </summary>
    public bool TestTimeFlip { get; init; }

    /// <summary>
    /// What was done to the trained weights before export, one line each: BatchNorm statistics re-estimated, weights
    /// averaged over epochs, a head's logits shifted for other class priors. Empty when nothing was.
    /// </summary>
    public IReadOnlyList<string> AfterTraining { get; init; } = [];

    /// <summary>
    /// The models this one was distilled from and how much of its loss they took (<c>train-heads --teacher</c>); empty
    /// when it learned from the labels alone.
    /// </summary>
    public string Teacher { get; init; } = "";

    /// <summary>The manifest as ONNX metadata: <c>face2data.*</c> keys with JSON values.</summary>
    public Dictionary<string, string> ToMetadata() => new(StringComparer.Ordinal)
    {
        [FormatKey] = Json(Format),
        [NameKey] = Json(Name),
        [VersionKey] = Json(Version),
        [ArchitectureKey] = Json(Architecture),
        [SchemaKey] = Schema.ToJson(),
        [PreprocessingKey] = Json(PreprocessingDocument.From(Preprocessing)),
        [CropKey] = Json(Crop),
        [MetricsKey] = Json(new SortedDictionary<string, double>(Metrics.ToDictionary(), StringComparer.Ordinal)),
        [TrainingDataKey] = Json(TrainingData),
        [LicenseKey] = Json(License),
        [CreatedKey] = Json(CreatedUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
        [TestTimeFlipKey] = Json(TestTimeFlip),
        [AfterTrainingKey] = Json(AfterTraining),
        [TeacherKey] = Json(Teacher),
    };

    /// <summary>Reads a manifest written by <see cref="ToMetadata"/>.</summary>
    /// <exception cref="FormatException">A key is missing or its value is not what the manifest writes.</exception>
    public static ModelManifest FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.Keys.Any(k => k.StartsWith(KeyPrefix, StringComparison.Ordinal)))
        {
            throw new FormatException($"The model has no face2data manifest (no '{KeyPrefix}*' metadata keys); it was not exported by face2data.");
        }

        var missing = RequiredKeys.Where(k => !metadata.ContainsKey(k)).ToList();
        if (missing.Count > 0)
        {
            throw new FormatException($"The model's face2data manifest lacks {string.Join(", ", missing)}.");
        }

        var format = metadata.TryGetValue(FormatKey, out var formatJson) ? Read<int>(FormatKey, formatJson) : Format;
        if (format > Format)
        {
            throw new FormatException($"The model's face2data manifest has format {format}; this version reads up to {Format}.");
        }

        var created = Read<string>(CreatedKey, metadata[CreatedKey]);
        if (!DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var createdUtc))
        {
            throw new FormatException($"Metadata '{CreatedKey}' is not a date: '{created}'.");
        }

        var crop = Read<CropGeometry>(CropKey, metadata[CropKey]);
        if (!(crop.Scale > 0) || !double.IsFinite(crop.ShiftY))
        {
            throw new FormatException($"Metadata '{CropKey}' needs a scale > 0 and a finite shift.");
        }

        return new ModelManifest
        {
            Name = Read<string>(NameKey, metadata[NameKey]),
            Version = Read<string>(VersionKey, metadata[VersionKey]),
            Architecture = Read<string>(ArchitectureKey, metadata[ArchitectureKey]),
            Schema = ReadSchema(metadata[SchemaKey]),
            Preprocessing = Read<PreprocessingDocument>(PreprocessingKey, metadata[PreprocessingKey]).ToPreprocessing(),
            Crop = crop,
            Metrics = Read<Dictionary<string, double>>(MetricsKey, metadata[MetricsKey]),
            TrainingData = Read<string>(TrainingDataKey, metadata[TrainingDataKey]),
            License = Read<string>(LicenseKey, metadata[LicenseKey]),
            CreatedUtc = createdUtc.ToUniversalTime(),
            // Optional: models exported before the key existed have no test-time flip.
            TestTimeFlip = metadata.TryGetValue(TestTimeFlipKey, out var flipJson) && Read<bool>(TestTimeFlipKey, flipJson),
            AfterTraining = metadata.TryGetValue(AfterTrainingKey, out var afterJson) ? Read<string[]>(AfterTrainingKey, afterJson) : [],
            Teacher = metadata.TryGetValue(TeacherKey, out var teacherJson) ? Read<string>(TeacherKey, teacherJson) : "",
        };
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonOptions);

    private static T Read<T>(string key, string json)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, JsonOptions) ?? throw new FormatException($"Metadata '{key}' is null.");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Metadata '{key}' is not valid: {ex.Message}", ex);
        }
    }

    private static AttributeSchema ReadSchema(string json)
    {
        try
        {
            return AttributeSchema.FromJson(json);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            throw new FormatException($"Metadata '{SchemaKey}' is not a valid schema: {ex.Message}", ex);
        }
    }

    // The stored form of ImagePreprocessing: only its settings, not its derived lengths.
    private sealed record PreprocessingDocument(int Size, ResizeMethod Resize, float[] Mean, float[] Std)
    {
        public static PreprocessingDocument From(ImagePreprocessing p) => new(p.Size, p.Resize, p.Mean, p.Std);

        public ImagePreprocessing ToPreprocessing()
        {
            if (Size < 1 || Mean is not { Length: 3 } || Std is not { Length: 3 } || Std.Any(s => !(s > 0)))
            {
                throw new FormatException($"Metadata '{PreprocessingKey}' needs a size ≥ 1, three means and three positive standard deviations.");
            }

            return new ImagePreprocessing { Size = Size, Resize = Resize, Mean = Mean, Std = Std };
        }
    }
}
