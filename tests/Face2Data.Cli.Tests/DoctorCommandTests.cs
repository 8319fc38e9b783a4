using Face2Data.Training.Runtime;

namespace Face2Data.Cli.Tests;

/// <summary>
/// Each guard path for real, in a fresh process per setting: oneDNN reads its settings once per process, so the
/// paths cannot be taken one after another inside the test host.
/// </summary>
public class DoctorCommandTests
{
    private static readonly bool HostIsFaulty = CpuCacheLeaf.ReadThisProcessor().ReadsZero;

    [Fact]
    public void Auto_caps_at_avx2_exactly_on_a_host_whose_cache_leaf_reads_zero_and_passes_the_check()
    {
        var (code, output, error) = Doctor("auto");

        Assert.True(code == 0, error);
        Assert.Contains($"remedy: {(HostIsFaulty ? "avx2" : "none")}", output);
        Assert.Contains("self-check: worst relative error", output);
        Assert.StartsWith("oneDNN guard (auto): ", error);
    }

    [Theory]
    [InlineData("avx2")]
    [InlineData("off")]
    public void A_forced_remedy_is_applied_and_checked(string setting)
    {
        var (code, output, error) = Doctor(setting);

        Assert.True(code == 0, error);
        Assert.Contains($"remedy: {setting}", output);
        Assert.Contains($"forced by FACE2DATA_ONEDNN={setting}", error);
    }

    [Fact]
    public void No_remedy_fails_the_check_exactly_on_a_faulty_host_and_the_command_stops_with_the_reason()
    {
        var (code, output, error) = Doctor("none");

        if (HostIsFaulty)
        {
            Assert.Equal(1, code);
            Assert.StartsWith("face2data: libtorch's convolutions are wrong on this machine with oneDNN no remedy", error);
            Assert.Contains("Training would compute wrong results, so it stops here.", error);
            Assert.DoesNotContain("remedy:", output);
        }
        else
        {
            Assert.True(code == 0, error);
            Assert.Contains("remedy: none", output);
        }
    }

    [Fact]
    public void An_unknown_setting_is_a_one_line_error()
    {
        var (code, _, error) = Doctor("fast");

        Assert.Equal(1, code);
        Assert.Equal("face2data: FACE2DATA_ONEDNN='fast' is not a known setting. Use auto, none, avx2 or off.", error.Trim());
    }

    private static (int Code, string Output, string Error) Doctor(string setting)
    {
        var (code, output, error) = ChildProcess.Run(
            ChildProcess.Dotnet,
            [Path.Combine(AppContext.BaseDirectory, "Face2Data.Cli.dll"), "doctor"],
            environment: new Dictionary<string, string?> { [OneDnnGuard.SettingVariable] = setting, ["ONEDNN_MAX_CPU_ISA"] = null, ["DNNL_MAX_CPU_ISA"] = null });
        // libtorch warns about NNPACK on some processors when oneDNN is off; those lines are not the guard's.
        return (code, output, string.Join('\n', error.Split('\n').Where(l => !l.Contains("NNPACK"))));
    }
}
