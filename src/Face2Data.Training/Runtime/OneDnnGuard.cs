namespace Face2Data.Training.Runtime;

/// <summary>How the guard may treat oneDNN, from the <c>FACE2DATA_ONEDNN</c> setting.</summary>
public enum OneDnnMode
{
    /// <summary>Detect the faulty host, apply the cheapest correct remedy, fall back to oneDNN off if the check fails.</summary>
    Auto,

    /// <summary>No remedy: oneDNN as libtorch ships it (the check still runs).</summary>
    None,

    /// <summary>Cap oneDNN at AVX2.</summary>
    Avx2,

    /// <summary>Turn oneDNN off.</summary>
    Off,
}

/// <summary>What the guard did to oneDNN.</summary>
public enum OneDnnRemedy
{
    /// <summary>Nothing: oneDNN runs with every instruction set the processor has.</summary>
    None,

    /// <summary>The instruction-set variable was already set by the user and left as it is.</summary>
    UserCap,

    /// <summary>oneDNN capped at AVX2 (about 30 % slower training steps on the hosts that need it).</summary>
    Avx2,

    /// <summary>oneDNN turned off: libtorch's own convolutions (several times slower).</summary>
    Off,
}

/// <summary>The guard's outcome, for the one log line.</summary>
/// <param name="Mode">The setting it ran under.</param>
/// <param name="Remedy">What is in force.</param>
/// <param name="Cpu">What CPUID said.</param>
/// <param name="Check">The self-check that passed under <paramref name="Remedy"/>.</param>
/// <param name="Note">Why this remedy, in words.</param>
public sealed record OneDnnGuardResult(OneDnnMode Mode, OneDnnRemedy Remedy, CpuCacheLeaf Cpu, SelfCheckResult Check, string Note)
{
    /// <summary>One line: the remedy, why, and the check.</summary>
    public override string ToString() => $"oneDNN guard ({Mode.ToString().ToLowerInvariant()}): {Note}; self-check passed, {Check}";
}

/// <summary>Thrown when no remedy gives correct convolutions: training would compute wrong results.</summary>
public sealed class OneDnnArithmeticException(string message) : InvalidOperationException(message);

/// <summary>The native operations the guard needs, apart so that tests can replace them.</summary>
internal interface IOneDnnControls
{
    /// <summary>The instruction-set cap already in the native environment, if any.</summary>
    string? ExistingCap();

    /// <summary>Caps oneDNN's instruction set (effective only before its first primitive).</summary>
    void CapInstructionSet(string isa);

    /// <summary>Turns oneDNN off.</summary>
    void Disable();

    /// <summary>Runs the numerical self-check.</summary>
    SelfCheckResult Check();
}

/// <summary>
/// Decides and applies the remedy for oneDNN 3.7's wrong AVX-512 convolutions on hosts whose CPUID cache leaf reads
/// zero, then proves the result with <see cref="ConvolutionSelfCheck"/>. Never lets a process train on wrong
/// arithmetic: if no remedy passes the check, it throws. Why and how: docs/onednn-guard.md.
/// </summary>
public static class OneDnnGuard
{
    /// <summary>The setting that forces a path: <c>auto</c> (default), <c>none</c>, <c>avx2</c> or <c>off</c>.</summary>
    public const string SettingVariable = "FACE2DATA_ONEDNN";

    /// <summary>Reads <see cref="SettingVariable"/>; empty or missing is <see cref="OneDnnMode.Auto"/>.</summary>
    /// <exception cref="ArgumentException">An unknown value.</exception>
    public static OneDnnMode ParseMode(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => OneDnnMode.Auto,
        "none" => OneDnnMode.None,
        "avx2" => OneDnnMode.Avx2,
        "off" => OneDnnMode.Off,
        _ => throw new ArgumentException($"{SettingVariable}='{value}' is not a known setting. Use auto, none, avx2 or off."),
    };

    internal static OneDnnGuardResult Apply(OneDnnMode mode, CpuCacheLeaf cpu, IOneDnnControls controls)
    {
        switch (mode)
        {
            case OneDnnMode.None:
                return Verify(mode, OneDnnRemedy.None, cpu, controls, $"no remedy (forced by {SettingVariable}=none), {cpu}");
            case OneDnnMode.Avx2:
                controls.CapInstructionSet("AVX2");
                return Verify(mode, OneDnnRemedy.Avx2, cpu, controls, $"capped at AVX2 (forced by {SettingVariable}=avx2), {cpu}");
            case OneDnnMode.Off:
                controls.Disable();
                return Verify(mode, OneDnnRemedy.Off, cpu, controls, $"turned off (forced by {SettingVariable}=off), {cpu}");
        }

        var (remedy, note) = (OneDnnRemedy.None, $"no remedy needed, {cpu}");
        if (controls.ExistingCap() is { } cap)
        {
            (remedy, note) = (OneDnnRemedy.UserCap, $"instruction set capped at {cap} by the environment, {cpu}");
        }
        else if (cpu.ReadsZero)
        {
            controls.CapInstructionSet("AVX2");
            (remedy, note) = (OneDnnRemedy.Avx2, $"capped at AVX2 because the {cpu}");
        }

        var check = controls.Check();
        if (check.Passed)
        {
            return new OneDnnGuardResult(mode, remedy, cpu, check, note);
        }

        // Too late for a cap now (oneDNN has run), so the fallback is the one switch that works at any time.
        controls.Disable();
        return Verify(mode, OneDnnRemedy.Off, cpu, controls, $"turned off because convolutions were wrong with {remedy} ({check}), {cpu}");
    }

    private static OneDnnGuardResult Verify(OneDnnMode mode, OneDnnRemedy remedy, CpuCacheLeaf cpu, IOneDnnControls controls, string note)
    {
        var check = controls.Check();
        return check.Passed
            ? new OneDnnGuardResult(mode, remedy, cpu, check, note)
            : throw new OneDnnArithmeticException(
                $"libtorch's convolutions are wrong on this machine with oneDNN {note}: {check}. Training would compute " +
                $"wrong results, so it stops here. Try {SettingVariable}=off or =avx2 (see docs/onednn-guard.md).");
    }
}
