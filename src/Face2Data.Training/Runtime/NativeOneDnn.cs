using System.Runtime.InteropServices;
using TorchSharp;

namespace Face2Data.Training.Runtime;

/// <summary>
/// The two switches libtorch offers over oneDNN from inside a running process. <see cref="CapInstructionSet"/> must
/// come before oneDNN's first primitive (its first convolution or matrix product): oneDNN reads the variable once.
/// </summary>
internal static partial class NativeOneDnn
{
    /// <summary>The variable oneDNN 3.x reads for its highest instruction set (DNNL_MAX_CPU_ISA is its older name).</summary>
    public const string IsaVariable = "ONEDNN_MAX_CPU_ISA";

    /// <summary>The older name of <see cref="IsaVariable"/>, still read by oneDNN.</summary>
    public const string LegacyIsaVariable = "DNNL_MAX_CPU_ISA";

    /// <summary>
    /// Sets <see cref="IsaVariable"/> in the native environment. <see cref="Environment.SetEnvironmentVariable(string, string)"/>
    /// does not: on Linux it changes only .NET's own copy, which native code never sees.
    /// </summary>
    public static void CapInstructionSet(string isa)
    {
        if (SetEnvironment(IsaVariable, isa, 1) != 0)
        {
            throw new InvalidOperationException($"setenv({IsaVariable}={isa}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>The instruction-set cap in the native environment, if any (either name).</summary>
    public static string? InstructionSetCap() =>
        Marshal.PtrToStringUTF8(GetEnvironment(IsaVariable)) ?? Marshal.PtrToStringUTF8(GetEnvironment(LegacyIsaVariable));

    /// <summary>
    /// Turns oneDNN off for every later operation (<c>at::globalContext().setUserEnabledMkldnn(false)</c>): libtorch
    /// then uses its own convolution kernels. Callable at any time.
    /// </summary>
    public static unsafe void Disable()
    {
        torch.InitializeDeviceType(DeviceType.CPU);
        var library = NativeLibrary.Load("libtorch_cpu.so");
        var globalContext = (delegate* unmanaged<IntPtr>)NativeLibrary.GetExport(library, "_ZN2at13globalContextEv");
        var setEnabled = (delegate* unmanaged<IntPtr, byte, void>)NativeLibrary.GetExport(library, "_ZN2at7Context20setUserEnabledMkldnnEb");
        var isEnabled = (delegate* unmanaged<IntPtr, byte>)NativeLibrary.GetExport(library, "_ZNK2at7Context17userEnabledMkldnnEv");
        var context = globalContext();
        setEnabled(context, 0);
        if (isEnabled(context) != 0)
        {
            throw new InvalidOperationException("libtorch did not turn oneDNN off.");
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnvironment(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnvironment(string name);
}
