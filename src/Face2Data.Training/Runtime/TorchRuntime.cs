namespace Face2Data.Training.Runtime;

/// <summary>
/// The start-up guard every process that computes with TorchSharp runs before its first convolution: the CLI's
/// commands, the benchmarks and the test assemblies (module initializers), and the library's own entry points
/// (<see cref="Models.ModelSpec.Create"/>). The first call decides, applies and checks the oneDNN remedy and writes one
/// line to standard error; later calls return the same result at once.
/// </summary>
public static class TorchRuntime
{
    // Process-wide by nature: oneDNN reads its settings once per process, so the guard runs once per process too.
    private static readonly Lazy<OneDnnGuardResult> Guard = new(RunGuard, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Makes libtorch's arithmetic correct on this host or throws. Idempotent and thread-safe.
    /// </summary>
    /// <exception cref="OneDnnArithmeticException">No remedy gives correct convolutions (also on every later call).</exception>
    public static OneDnnGuardResult EnsureCorrectArithmetic() => Guard.Value;

    private static OneDnnGuardResult RunGuard()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var mode = OneDnnGuard.ParseMode(Environment.GetEnvironmentVariable(OneDnnGuard.SettingVariable));
        var result = OneDnnGuard.Apply(mode, CpuCacheLeaf.ReadThisProcessor(), new NativeControls());
        Console.Error.WriteLine($"{result} ({clock.ElapsedMilliseconds} ms)");
        return result;
    }

    private sealed class NativeControls : IOneDnnControls
    {
        public string? ExistingCap() => NativeOneDnn.InstructionSetCap();

        public void CapInstructionSet(string isa) => NativeOneDnn.CapInstructionSet(isa);

        public void Disable() => NativeOneDnn.Disable();

        public SelfCheckResult Check() => ConvolutionSelfCheck.Run();
    }
}
