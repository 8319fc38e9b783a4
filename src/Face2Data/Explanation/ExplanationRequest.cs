using Face2Data.Detection;
using Face2Data.Schema;

namespace Face2Data.Explanation;

/// <summary>What <see cref="FaceExplainer"/> explains: which face, which head and class, and how.</summary>
public sealed record ExplanationRequest
{
    /// <summary>The head to explain; null explains every head of the schema.</summary>
    public string? Head { get; init; }

    /// <summary>
    /// The class of a categorical <see cref="Head"/> whose probability is explained; null explains the predicted
    /// class. Not allowed for a regression head (its value is explained) or without a head.
    /// </summary>
    public string? Class { get; init; }

    /// <summary>Which face, numbered from 1 in the analysis's order (largest first).</summary>
    public int Face { get; init; } = 1;

    /// <summary>Whether faces are detected first, as in the analysis.</summary>
    public DetectionMode Detection { get; init; } = DetectionMode.Auto;

    /// <summary>
    /// The detector that finds the faces for this request; null uses the analyzer's own. The explainer does not
    /// dispose it.
    /// </summary>
    public IFaceDetector? Detector { get; init; }

    /// <summary>Method, grid, baseline and the method's settings.</summary>
    public ExplanationOptions Options { get; init; } = new();

    /// <summary>The heads this request explains, checked against a schema.</summary>
    /// <exception cref="ArgumentException">The head is not in the schema (parameter <c>Head</c>).</exception>
    public IReadOnlyList<AttributeHead> HeadsIn(AttributeSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (Head is null)
        {
            return schema.Heads;
        }

        var index = schema.IndexOf(Head);
        return index >= 0
            ? [schema.Heads[index]]
            : throw new ArgumentException($"The model has no head '{Head}'; its heads are {string.Join(", ", schema.Heads.Select(h => h.Name))}.", nameof(Head));
    }

    /// <summary>
    /// The index of <see cref="Class"/> in <paramref name="head"/> (exact match first, then ignoring case), or null
    /// when no class is asked for.
    /// </summary>
    /// <exception cref="ArgumentException">The class is not one of the head's, or the head is a regression head (parameter <c>Class</c>).</exception>
    public int? ClassIn(AttributeHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        if (Class is null)
        {
            return null;
        }

        if (head.Kind == HeadKind.Regression)
        {
            throw new ArgumentException($"Head '{head.Name}' is a regression head: its value is explained, it has no classes.", nameof(Class));
        }

        var index = head.ClassIndex(Class);
        if (index < 0)
        {
            index = head.Classes.ToList().FindIndex(c => string.Equals(c, Class, StringComparison.OrdinalIgnoreCase));
        }

        return index >= 0
            ? index
            : throw new ArgumentException($"Head '{head.Name}' has no class '{Class}'; its classes are {string.Join(", ", head.Classes)}.", nameof(Class));
    }

    /// <summary>Checks the whole request against a model's schema and input size before any work.</summary>
    /// <exception cref="ArgumentException">Something does not fit; the parameter name says what (<c>Head</c>, <c>Class</c>, <c>Face</c> or an option).</exception>
    public void Validate(AttributeSchema schema, int inputSize)
    {
        ArgumentNullException.ThrowIfNull(Options);
        if (Class is not null && Head is null)
        {
            throw new ArgumentException("A class can only be explained for one named head; give the head too.", nameof(Class));
        }

        foreach (var head in HeadsIn(schema))
        {
            ClassIn(head);
        }

        if (Face < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Face), Face, "Faces are numbered from 1 (the largest).");
        }

        Options.Validate(inputSize);
    }
}
