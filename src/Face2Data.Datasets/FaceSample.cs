namespace Face2Data.Datasets;

/// <summary>
/// One labelled image of a dataset. <see cref="Labels"/> holds one value per schema head, in head order:
/// the class index for a categorical head, the value for a regression head, <see cref="float.NaN"/> when unknown.
/// </summary>
/// <param name="Id">The image's name inside its dataset (file name or path relative to the dataset root).</param>
/// <param name="Labels">One label per schema head.</param>
public sealed record FaceSample(string Id, float[] Labels);
