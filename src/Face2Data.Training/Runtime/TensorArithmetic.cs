using static TorchSharp.torch;

namespace Face2Data.Training.Runtime;

/// <summary>
/// Tensor arithmetic with numbers, and tensor addition, with Scalars that outlive the native call
/// (<see cref="Scalars"/>): the replacements for TorchSharp's operators, which leave a temporary Scalar to the
/// finalizer. Tensor − tensor, tensor × tensor and tensor ÷ tensor take no Scalar and stay operators.
/// </summary>
public static class TensorArithmetic
{
    /// <summary><paramref name="left"/> + <paramref name="right"/>.</summary>
    public static Tensor Plus(this Tensor left, Tensor right) => left.add(right, Scalars.One);

    /// <summary><paramref name="left"/> + <paramref name="right"/>.</summary>
    public static Tensor Plus(this Tensor left, double right) => Scalars.Use(right, r => left.add(r, Scalars.One));

    /// <summary><paramref name="left"/> − <paramref name="right"/>.</summary>
    public static Tensor Minus(this Tensor left, double right) => Scalars.Use(right, left.sub);

    /// <summary><paramref name="left"/> × <paramref name="right"/>.</summary>
    public static Tensor Times(this Tensor left, double right) => Scalars.Use(right, left.mul);

    /// <summary><paramref name="left"/> ÷ <paramref name="right"/>.</summary>
    public static Tensor DividedBy(this Tensor left, double right) => Scalars.Use(right, r => left.div(r));
}
