using Face2Data.Training.Runtime;

namespace Face2Data.Training.Tests.Runtime;

public class OneDnnGuardTests
{
    private static readonly CpuCacheLeaf Faulty = CpuCacheLeaf.From("AuthenticAMD", 0xD, 0x80000021, _ => 0);
    private static readonly CpuCacheLeaf Healthy = CpuCacheLeaf.From("AuthenticAMD", 0x10, 0x80000028, _ => 0x121);
    private static readonly SelfCheckResult Good = new(3e-7, "24→24 stride 1 forward");
    private static readonly SelfCheckResult Wrong = new(0.153, "48→96 stride 2 input gradient");

    [Theory]
    [InlineData(null, OneDnnMode.Auto)]
    [InlineData("", OneDnnMode.Auto)]
    [InlineData("AUTO", OneDnnMode.Auto)]
    [InlineData(" none ", OneDnnMode.None)]
    [InlineData("avx2", OneDnnMode.Avx2)]
    [InlineData("Off", OneDnnMode.Off)]
    public void The_setting_is_read_case_insensitively(string? value, OneDnnMode mode)
    {
        Assert.Equal(mode, OneDnnGuard.ParseMode(value));
    }

    [Fact]
    public void An_unknown_setting_is_an_error_naming_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => OneDnnGuard.ParseMode("avx512"));
        Assert.Equal("FACE2DATA_ONEDNN='avx512' is not a known setting. Use auto, none, avx2 or off.", error.Message);
    }

    [Fact]
    public void Auto_on_a_faulty_host_caps_at_avx2_before_the_first_check()
    {
        var controls = new FakeControls(Good);

        var result = OneDnnGuard.Apply(OneDnnMode.Auto, Faulty, controls);

        Assert.Equal(OneDnnRemedy.Avx2, result.Remedy);
        Assert.Equal(["cap AVX2", "check"], controls.Calls);
        Assert.Equal(
            "oneDNN guard (auto): capped at AVX2 because the AuthenticAMD: cache leaf 0x8000001D reads zero; self-check passed, " +
            "worst relative error 3E-07 (24→24 stride 1 forward), tolerance 0.0001",
            result.ToString());
    }

    [Fact]
    public void Auto_on_a_healthy_host_changes_nothing()
    {
        var controls = new FakeControls(Good);

        var result = OneDnnGuard.Apply(OneDnnMode.Auto, Healthy, controls);

        Assert.Equal(OneDnnRemedy.None, result.Remedy);
        Assert.Equal(["check"], controls.Calls);
    }

    [Fact]
    public void Auto_leaves_a_cap_the_user_set_in_place()
    {
        var controls = new FakeControls(Good) { ExistingIsa = "AVX512_CORE" };

        var result = OneDnnGuard.Apply(OneDnnMode.Auto, Faulty, controls);

        Assert.Equal(OneDnnRemedy.UserCap, result.Remedy);
        Assert.Equal(["check"], controls.Calls);
        Assert.StartsWith("instruction set capped at AVX512_CORE by the environment", result.Note);
    }

    [Fact]
    public void Auto_falls_back_to_onednn_off_when_the_cap_still_computes_wrong()
    {
        var controls = new FakeControls(Wrong, Good);

        var result = OneDnnGuard.Apply(OneDnnMode.Auto, Faulty, controls);

        Assert.Equal(OneDnnRemedy.Off, result.Remedy);
        Assert.Equal(["cap AVX2", "check", "disable", "check"], controls.Calls);
        Assert.Equal(Good, result.Check);
        Assert.Contains("convolutions were wrong with Avx2 (worst relative error 0.153 (48→96 stride 2 input gradient)", result.Note);
    }

    [Fact]
    public void Auto_falls_back_to_off_on_an_unknown_fault_too()
    {
        var controls = new FakeControls(Wrong, Good);

        Assert.Equal(OneDnnRemedy.Off, OneDnnGuard.Apply(OneDnnMode.Auto, Healthy, controls).Remedy);
        Assert.Equal(["check", "disable", "check"], controls.Calls);
    }

    [Fact]
    public void When_even_onednn_off_computes_wrong_the_guard_stops_with_a_clear_error()
    {
        var controls = new FakeControls(Wrong, Wrong);

        var error = Assert.Throws<OneDnnArithmeticException>(() => OneDnnGuard.Apply(OneDnnMode.Auto, Faulty, controls));

        Assert.Equal(["cap AVX2", "check", "disable", "check"], controls.Calls);
        Assert.StartsWith("libtorch's convolutions are wrong on this machine with oneDNN turned off because", error.Message);
        Assert.Contains("Training would compute wrong results, so it stops here.", error.Message);
    }

    [Theory]
    [InlineData(OneDnnMode.None, OneDnnRemedy.None, new[] { "check" })]
    [InlineData(OneDnnMode.Avx2, OneDnnRemedy.Avx2, new[] { "cap AVX2", "check" })]
    [InlineData(OneDnnMode.Off, OneDnnRemedy.Off, new[] { "disable", "check" })]
    public void A_forced_mode_applies_exactly_its_remedy_even_on_a_healthy_host(OneDnnMode mode, OneDnnRemedy remedy, string[] calls)
    {
        var controls = new FakeControls(Good);

        var result = OneDnnGuard.Apply(mode, Healthy, controls);

        Assert.Equal(remedy, result.Remedy);
        Assert.Equal(calls, controls.Calls);
        Assert.Contains($"forced by FACE2DATA_ONEDNN={mode.ToString().ToLowerInvariant()}", result.Note);
    }

    [Theory]
    [InlineData(OneDnnMode.None)]
    [InlineData(OneDnnMode.Avx2)]
    [InlineData(OneDnnMode.Off)]
    public void A_forced_mode_that_computes_wrong_stops_instead_of_falling_back(OneDnnMode mode)
    {
        var controls = new FakeControls(Wrong, Good);

        var error = Assert.Throws<OneDnnArithmeticException>(() => OneDnnGuard.Apply(mode, Faulty, controls));

        Assert.Single(controls.Calls, "check");
        Assert.Contains("worst relative error 0.153", error.Message);
    }

    [Fact]
    public void A_nan_in_the_check_fails_it()
    {
        Assert.False(new SelfCheckResult(double.NaN, "24→24 stride 1 forward").Passed);
        Assert.True(new SelfCheckResult(SelfCheckResult.Tolerance, "x").Passed);
        Assert.False(new SelfCheckResult(SelfCheckResult.Tolerance * 1.01, "x").Passed);
    }

    private sealed class FakeControls(params SelfCheckResult[] checks) : IOneDnnControls
    {
        private int _checks;

        public List<string> Calls { get; } = [];

        public string? ExistingIsa { get; init; }

        public string? ExistingCap() => ExistingIsa;

        public void CapInstructionSet(string isa) => Calls.Add($"cap {isa}");

        public void Disable() => Calls.Add("disable");

        public SelfCheckResult Check()
        {
            Calls.Add("check");
            return checks[Math.Min(_checks++, checks.Length - 1)];
        }
    }
}
