using System.Runtime.Intrinsics.X86;

namespace Face2Data.Training.Runtime;

/// <summary>
/// What the processor says about its cache topology through CPUID, as oneDNN's xbyak reads it: the vendor, the
/// highest extended leaf, and the cache type of sub-leaf 0 of the deterministic cache leaf (0x8000001D on AMD, 4 on
/// Intel). Some hypervisors advertise the leaf but fill it with zeros; xbyak then takes every cache level to be one
/// byte, and some of oneDNN 3.7's AVX-512 convolution kernels compute wrong results (docs/onednn-guard.md).
/// </summary>
/// <param name="Vendor">The vendor string of leaf 0 (<c>AuthenticAMD</c>, <c>GenuineIntel</c>), empty off x86.</param>
/// <param name="HighestBasicLeaf">EAX of leaf 0.</param>
/// <param name="HighestExtendedLeaf">EAX of leaf 0x80000000.</param>
/// <param name="FirstCacheType">Bits 0–4 of EAX of the vendor's cache leaf, sub-leaf 0 (0: no cache described); -1 when the leaf is not advertised.</param>
public readonly record struct CpuCacheLeaf(string Vendor, uint HighestBasicLeaf, uint HighestExtendedLeaf, int FirstCacheType)
{
    /// <summary>AMD's cache topology leaf, which xbyak reads when the highest extended leaf reaches it.</summary>
    public const uint AmdCacheLeaf = 0x8000001D;

    /// <summary>Intel's deterministic cache parameters leaf.</summary>
    public const uint IntelCacheLeaf = 4;

    /// <summary>
    /// True when the cache leaf oneDNN will read is advertised but describes no cache: the condition under which its
    /// AVX-512 convolutions go wrong.
    /// </summary>
    public bool ReadsZero => FirstCacheType == 0;

    /// <summary>Reads this processor's leaves (microseconds; no native library involved).</summary>
    public static CpuCacheLeaf ReadThisProcessor()
    {
        if (!X86Base.IsSupported)
        {
            return new CpuCacheLeaf(string.Empty, 0, 0, -1);
        }

        var (highestBasic, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        var vendor = string.Concat(Text(ebx), Text(edx), Text(ecx));
        var highestExtended = (uint)X86Base.CpuId(unchecked((int)0x80000000), 0).Eax;
        return From(vendor, (uint)highestBasic, highestExtended, leaf => X86Base.CpuId(unchecked((int)leaf), 0).Eax);
    }

    /// <summary>
    /// The reading for given leaf values: which cache leaf the vendor's code path in xbyak reads, and its first cache
    /// type. <paramref name="readEax"/> returns EAX of sub-leaf 0 of a leaf.
    /// </summary>
    public static CpuCacheLeaf From(string vendor, uint highestBasicLeaf, uint highestExtendedLeaf, Func<uint, int> readEax)
    {
        ArgumentNullException.ThrowIfNull(readEax);
        int? type = vendor switch
        {
            "AuthenticAMD" or "HygonGenuine" when highestExtendedLeaf >= AmdCacheLeaf => readEax(AmdCacheLeaf) & 0x1F,
            "GenuineIntel" when highestBasicLeaf >= IntelCacheLeaf => readEax(IntelCacheLeaf) & 0x1F,
            _ => null,
        };
        return new CpuCacheLeaf(vendor, highestBasicLeaf, highestExtendedLeaf, type ?? -1);
    }

    /// <inheritdoc />
    public override string ToString() => FirstCacheType < 0
        ? $"{Vendor}: no cache leaf advertised"
        : $"{Vendor}: cache leaf 0x{(Vendor == "GenuineIntel" ? IntelCacheLeaf : AmdCacheLeaf):X} {(ReadsZero ? "reads zero" : $"first cache type {FirstCacheType}")}";

    private static string Text(int register) =>
        new([(char)(register & 0xFF), (char)((register >> 8) & 0xFF), (char)((register >> 16) & 0xFF), (char)((register >> 24) & 0xFF)]);
}
