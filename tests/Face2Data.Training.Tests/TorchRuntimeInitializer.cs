using System.Runtime.CompilerServices;
using Face2Data.Training.Runtime;

namespace Face2Data.Training.Tests;

/// <summary>
/// Runs the process's oneDNN guard before any test computes with TorchSharp: tests build raw layers too, not only
/// models through <c>ModelSpec.Create</c>, and the guard's cheapest remedy works only before the first convolution.
/// </summary>
internal static class TorchRuntimeInitializer
{
#pragma warning disable CA2255 // A module initializer is the one hook that runs before every test, whatever the order.
    [ModuleInitializer]
    internal static void Initialize() => TorchRuntime.EnsureCorrectArithmetic();
#pragma warning restore CA2255
}
