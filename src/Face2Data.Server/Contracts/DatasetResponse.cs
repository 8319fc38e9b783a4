using Face2Data.Schema;

namespace Face2Data.Server.Contracts;

/// <summary>Label distributions of the dataset named by <c>Server:DatasetPath</c>, for the Dataset page's charts.</summary>
/// <param name="Name">The dataset's file or folder name.</param>
/// <param name="Samples">Number of labelled images.</param>
/// <param name="Heads">One distribution per schema head.</param>
public sealed record DatasetResponse(string Name, int Samples, IReadOnlyList<DistributionResponse> Heads);

/// <summary>How one head's labels are distributed: counts per class, or per value range for a regression head.</summary>
/// <param name="Name">Head name.</param>
/// <param name="Kind"><c>regression</c> or <c>categorical</c>.</param>
/// <param name="Bins">Counts in class order, or in increasing value ranges.</param>
/// <param name="Unknown">Samples without this label.</param>
public sealed record DistributionResponse(string Name, HeadKind Kind, IReadOnlyList<BinResponse> Bins, int Unknown);

/// <summary>One bar of a distribution.</summary>
/// <param name="Label">Class label, or value range such as <c>20–29</c>.</param>
/// <param name="Count">Samples in it.</param>
public sealed record BinResponse(string Label, int Count);
