using Face2Data.Training.Runtime;

namespace Face2Data.Training.Tests.Runtime;

public class CpuCacheLeafTests
{
    [Fact]
    public void An_amd_host_whose_cache_leaf_is_advertised_but_empty_reads_zero()
    {
        // The Firecracker-style VM of issue 16: highest extended leaf 0x80000021, leaf 0x8000001D all zeros.
        var leaf = CpuCacheLeaf.From("AuthenticAMD", 0xD, 0x80000021, _ => 0);

        Assert.True(leaf.ReadsZero);
        Assert.Equal("AuthenticAMD: cache leaf 0x8000001D reads zero", leaf.ToString());
    }

    [Fact]
    public void An_amd_host_with_a_data_cache_in_sub_leaf_0_is_fine()
    {
        uint asked = 0;
        // Bits 0-4 = 1 (data cache); the level and other fields above them must not matter.
        var leaf = CpuCacheLeaf.From("AuthenticAMD", 0x10, 0x80000028, l => { asked = l; return 0x121; });

        Assert.Equal(CpuCacheLeaf.AmdCacheLeaf, asked);
        Assert.Equal(1, leaf.FirstCacheType);
        Assert.False(leaf.ReadsZero);
    }

    [Fact]
    public void An_amd_host_that_does_not_advertise_the_leaf_is_not_read()
    {
        var leaf = CpuCacheLeaf.From("AuthenticAMD", 0xD, 0x8000001C, _ => throw new InvalidOperationException("must not be read"));

        Assert.Equal(-1, leaf.FirstCacheType);
        Assert.False(leaf.ReadsZero);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(3, false)]
    public void An_intel_host_is_judged_by_leaf_4(int cacheType, bool readsZero)
    {
        uint asked = 0;
        var leaf = CpuCacheLeaf.From("GenuineIntel", 0x1B, 0x80000008, l => { asked = l; return cacheType; });

        Assert.Equal(CpuCacheLeaf.IntelCacheLeaf, asked);
        Assert.Equal(readsZero, leaf.ReadsZero);
    }

    [Fact]
    public void Another_vendor_is_never_taken_for_the_faulty_host()
    {
        Assert.False(CpuCacheLeaf.From("CentaurHauls", 0xD, 0x80000021, _ => 0).ReadsZero);
    }
}
