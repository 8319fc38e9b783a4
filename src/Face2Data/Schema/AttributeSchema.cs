using System.Text.Json;
using System.Text.Json.Serialization;

namespace Face2Data.Schema;

/// <summary>
/// The list of heads a dataset labels and a model predicts. It travels with every checkpoint and exported
/// model, so nothing downstream hard-codes age, gender or race.
/// </summary>
public sealed record AttributeSchema
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Creates a schema from its heads; names must be unique and non-empty.</summary>
    public AttributeSchema(IReadOnlyList<AttributeHead> heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        if (heads.Count == 0)
        {
            throw new ArgumentException("A schema needs at least one head.", nameof(heads));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var head in heads)
        {
            if (string.IsNullOrWhiteSpace(head.Name) || !names.Add(head.Name))
            {
                throw new ArgumentException($"Head names must be unique and non-empty; '{head.Name}' is not.", nameof(heads));
            }

            if (head.Kind == HeadKind.Categorical && head.Classes.Count < 2)
            {
                throw new ArgumentException($"Categorical head '{head.Name}' needs at least two classes.", nameof(heads));
            }

            if (head.Kind == HeadKind.Regression && !(head.Max > head.Min))
            {
                throw new ArgumentException($"Regression head '{head.Name}' needs max > min.", nameof(heads));
            }
        }

        Heads = heads;
    }

    /// <summary>The heads, in output order.</summary>
    public IReadOnlyList<AttributeHead> Heads { get; }

    /// <summary>The head with this name.</summary>
    public AttributeHead this[string name] => Heads.FirstOrDefault(h => h.Name == name)
        ?? throw new KeyNotFoundException($"The schema has no head '{name}'. Heads: {string.Join(", ", Heads.Select(h => h.Name))}.");

    /// <summary>Position of the head with this name, or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Heads.Count; i++)
        {
            if (Heads[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// UTKFace's labels with the Keras reference's loss weights (age 4, race 1.5, gender 0.1).
    /// </summary>
    public static AttributeSchema UtkFace { get; } = new(
    [
        AttributeHead.Regression("age", 0, 116, lossWeight: 4f, unit: "years"),
        AttributeHead.Categorical("gender", ["male", "female"], lossWeight: 0.1f),
        AttributeHead.Categorical("race", ["white", "black", "asian", "indian", "others"], lossWeight: 1.5f),
    ]);

    /// <summary>A copy with new loss weights by head name; heads not named keep theirs.</summary>
    public AttributeSchema WithLossWeights(IReadOnlyDictionary<string, float> weights) =>
        new(Heads.Select(h => weights.TryGetValue(h.Name, out var w) ? h with { LossWeight = w } : h).ToList());

    /// <summary>A copy where each named head uses the given loss.</summary>
    public AttributeSchema WithLoss(string headName, string loss) =>
        new(Heads.Select(h => h.Name == headName ? h with { Loss = loss } : h).ToList());

    /// <summary>Serializes the schema as JSON (snake_case).</summary>
    public string ToJson() => JsonSerializer.Serialize(new SchemaDocument(Heads.ToList()), JsonOptions);

    /// <summary>Reads a schema written by <see cref="ToJson"/>.</summary>
    public static AttributeSchema FromJson(string json)
    {
        var document = JsonSerializer.Deserialize<SchemaDocument>(json, JsonOptions)
            ?? throw new FormatException("The schema JSON is empty.");
        return new AttributeSchema(document.Heads);
    }

    /// <summary>True when both schemas have the same heads in the same order.</summary>
    public bool SameHeadsAs(AttributeSchema other) => ToJson() == other.ToJson();

    /// <summary>
    /// True when both schemas predict the same things: the same head names, kinds and classes in the same order. Loss
    /// settings may differ, as they do between a dataset's schema and a model trained with <c>--loss-weights</c>.
    /// </summary>
    public bool SameOutputsAs(AttributeSchema other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Heads.Count == other.Heads.Count
            && Heads.Zip(other.Heads).All(p => p.First.Name == p.Second.Name && p.First.Kind == p.Second.Kind && p.First.Classes.SequenceEqual(p.Second.Classes));
    }

    private sealed record SchemaDocument(List<AttributeHead> Heads);
}
