using Face2Data.Server.Contracts;

namespace Face2Data.Server;

/// <summary>
/// Reads the label distributions of the dataset at <see cref="ServerOptions.DatasetPath"/> for the dataset page. The
/// server references the inference library only and reads no dataset itself: its host registers one (the
/// <c>face2data serve</c> command does, with Face2Data.Datasets).
/// </summary>
public interface IDatasetDescriber
{
    /// <summary>The distributions of the dataset at <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The dataset cannot be read.</exception>
    /// <exception cref="InvalidDataException">The dataset is malformed.</exception>
    DatasetResponse Describe(string path);
}
