using Face2Data.Schema;

namespace Face2Data.Datasets;

/// <summary>How <see cref="CsvAttributeDataset"/> reads a labels CSV.</summary>
public sealed record CsvAttributeDatasetOptions
{
    /// <summary>
    /// Header of the image-path column; when null, the first column named <c>file</c>, <c>path</c>, <c>image</c> or
    /// <c>filename</c> (any case).
    /// </summary>
    public string? PathColumn { get; init; }

    /// <summary>Columns that are not attributes (such as FairFace's <c>service_test</c>); each must exist.</summary>
    public IReadOnlyList<string> IgnoreColumns { get; init; } = [];

    /// <summary>
    /// The heads to read, each from the column of the same name, with their classes' order and value ranges;
    /// other columns are then ignored. When null, every column but the path and ignored ones becomes a head.
    /// </summary>
    public AttributeSchema? Schema { get; init; }

    /// <summary>Check on opening that every image file exists (and take its size into the fingerprint).</summary>
    public bool CheckFilesExist { get; init; } = true;

    /// <summary>
    /// Read an empty value of an attribute column as unknown (<see cref="float.NaN"/>) instead of failing, as in
    /// London's <c>age</c> and <c>race</c> of a few people. Needs <see cref="Schema"/> (an inferred schema needs every value).
    /// </summary>
    public bool AllowMissingValues { get; init; }
}
