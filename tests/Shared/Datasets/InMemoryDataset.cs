using System.Security.Cryptography;
using Face2Data.Datasets;
using Face2Data.Schema;

namespace Face2Data.Testing;

/// <summary>A dataset held in memory, for split and cache tests.</summary>
internal sealed class InMemoryDataset(AttributeSchema schema, IReadOnlyList<FaceSample> samples, IReadOnlyList<byte[]>? images = null) : IFaceDataset
{
    public AttributeSchema Schema { get; } = schema;

    public IReadOnlyList<FaceSample> Samples { get; } = samples;

    public string Fingerprint { get; } = Convert.ToHexStringLower(SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes(string.Join("|", samples.Select(s => s.Id + ":" + string.Join(",", s.Labels)))
            + string.Join("|", (images ?? []).Select(i => Convert.ToHexString(SHA256.HashData(i))))))).AsSpan(0, 16).ToString();

    public string Source => "memory";

    /// <summary>When set, <see cref="ReadImages"/> calls it before yielding each image (to fail or cancel mid-way).</summary>
    public Action<int>? BeforeImage { get; init; }

    /// <summary>A dataset of one categorical head "class" whose sample i has class <paramref name="classOf"/>(i).</summary>
    public static InMemoryDataset WithClasses(int count, int classCount, Func<int, int> classOf) => new(
        new AttributeSchema([AttributeHead.Categorical("class", Enumerable.Range(0, classCount).Select(c => $"c{c}").ToArray())]),
        Enumerable.Range(0, count).Select(i => new FaceSample($"img{i:D5}.jpg", [classOf(i)])).ToArray());

    /// <summary>A dataset of the given images, labelled by index parity.</summary>
    public static InMemoryDataset WithImages(IReadOnlyList<byte[]> images, Action<int>? beforeImage = null) => new(
        new AttributeSchema([AttributeHead.Categorical("parity", ["even", "odd"])]),
        Enumerable.Range(0, images.Count).Select(i => new FaceSample($"img{i}.jpg", [i % 2])).ToArray(),
        images)
    {
        BeforeImage = beforeImage,
    };

    public IEnumerable<(int Index, byte[] Bytes)> ReadImages(CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < Samples.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            BeforeImage?.Invoke(i);
            yield return (i, images![i]);
        }
    }
}
