using System.Text.Json;
using Face2Data.Core.Schema;

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
    public static IReadOnlyList<string> Architectures { get; } = ["f2d", "seed", "densenet121"];

    /// <summary>The schema the model predicts.</summary>
    public AttributeSchema Schema => AttributeSchema.FromJson(SchemaJson);

    /// <summary>A spec with the architecture's default options.</summary>
    public static ModelSpec For(string architecture, AttributeSchema schema, int inputSize) =>
        Architectures.Contains(architecture)
            ? new(architecture, schema.ToJson(), inputSize)
            : throw new ArgumentException($"Unknown model '{architecture}'. Choose one of: {string.Join(", ", Architectures)}.", nameof(architecture));

    /// <summary>Builds the modules (random weights).</summary>
    public MultiHeadModel Create() => Architecture switch
    {
        "f2d" => new F2dNet(Schema, Options<F2dNetOptions>()),
        "seed" => new SeedNet(Schema, InputSize, Options<SeedNetOptions>()),
        "densenet121" => new DenseNet(Schema, Options<DenseNetOptions>()),
        _ => throw new ArgumentException($"Unknown model '{Architecture}'. Choose one of: {string.Join(", ", Architectures)}."),
    };

    private T? Options<T>() where T : class =>
        string.IsNullOrEmpty(OptionsJson) ? null : JsonSerializer.Deserialize<T>(OptionsJson);
}
