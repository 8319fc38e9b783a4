using TorchSharp;
using static TorchSharp.torch;

namespace Face2Data.Training.Runtime;

/// <summary>
/// The one source of <see cref="Scalar"/>s in Face2Data's TorchSharp code. Each one lives until every libtorch call
/// that reads it has returned: constants are static, other values exist only inside <see cref="Use"/>.
/// </summary>
/// <remarks>
/// Why: a TorchSharp <see cref="Scalar"/> frees its native value in a finalizer, and TorchSharp's wrappers pass only
/// its handle to libtorch. A temporary Scalar (an implicit <c>1.0f</c>, or the <c>alpha = 1</c> that
/// <c>Tensor + Tensor</c> creates inside TorchSharp) is unreachable as soon as its handle is read, so a collection
/// started by another thread while the native call runs can finalize it, and libtorch then reads freed memory
/// (<c>Scalar.toFloat</c> check, process abort). Dispose scopes hold tensors, not Scalars. The banned-API list
/// (build/torchsharp/BannedSymbols.txt) makes every other way of creating a Scalar a compile error in src/.
/// Details and the stress benchmark: docs/training-aborts.md.
/// </remarks>
public static class Scalars
{
#pragma warning disable RS0030 // The one place Scalars are made; each is rooted for as long as libtorch may read it.
    /// <summary>1, the <c>alpha</c> of additions. Static, so it is never collected.</summary>
    public static Scalar One { get; } = 1.ToScalar();

    /// <summary>
    /// Calls <paramref name="call"/> with <paramref name="value"/> as a Scalar that stays alive until the call has
    /// returned, then frees it. The Scalar must not escape the call.
    /// </summary>
    public static Tensor Use(double value, Func<Scalar, Tensor> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var scalar = value.ToScalar();
        return call(scalar);
    }
#pragma warning restore RS0030
}
