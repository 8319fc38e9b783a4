using Face2Data.Schema;

namespace Face2Data.Datasets;

/// <summary>A labelled set of face images whose heads are described by an <see cref="AttributeSchema"/>.</summary>
public interface IFaceDataset
{
    /// <summary>The heads every sample is labelled with.</summary>
    AttributeSchema Schema { get; }

    /// <summary>The samples, in a stable order (the order <see cref="ReadImages"/> yields them).</summary>
    IReadOnlyList<FaceSample> Samples { get; }

    /// <summary>
    /// A short hex string that changes when the dataset's content changes (names, sizes, labels); keys caches.
    /// </summary>
    string Fingerprint { get; }

    /// <summary>Human-readable source, such as the folder or archive path.</summary>
    string Source { get; }

    /// <summary>Streams every sample's encoded image bytes, in sample order, with the sample's index.</summary>
    IEnumerable<(int Index, byte[] Bytes)> ReadImages(CancellationToken cancellationToken = default);
}
