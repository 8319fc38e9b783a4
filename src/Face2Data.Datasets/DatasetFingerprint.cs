using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Face2Data.Schema;

namespace Face2Data.Datasets;

/// <summary>
/// Hashes what identifies a dataset's content (schema, and each sample's id, file size and labels, in sample order)
/// into the short hex string <see cref="IFaceDataset.Fingerprint"/> promises. The source path is left out, so a folder
/// and an archive of the same files get the same fingerprint.
/// </summary>
internal static class DatasetFingerprint
{
    /// <summary>Fingerprint of samples with their file sizes (-1 when unknown).</summary>
    public static string Compute(AttributeSchema schema, IReadOnlyList<FaceSample> samples, IReadOnlyList<long> sizes)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendString(hash, schema.ToJson());
        Span<byte> number = stackalloc byte[8];
        for (var i = 0; i < samples.Count; i++)
        {
            AppendString(hash, samples[i].Id);
            BinaryPrimitives.WriteInt64LittleEndian(number, sizes[i]);
            hash.AppendData(number);
            BinaryPrimitives.WriteInt32LittleEndian(number, samples[i].Labels.Length);
            hash.AppendData(number[..4]);
            foreach (var label in samples[i].Labels)
            {
                BinaryPrimitives.WriteSingleLittleEndian(number, label);
                hash.AppendData(number[..4]);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, 8));
    }

    private static void AppendString(IncrementalHash hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
