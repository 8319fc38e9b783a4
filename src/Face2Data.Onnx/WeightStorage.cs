namespace Face2Data.Onnx;

/// <summary>
/// How <see cref="OnnxGraphBuilder.CompactInitializers"/> stores the large float32 weights that do not already hold
/// at most 256 distinct values (those always take a byte each, losslessly).
/// </summary>
public enum WeightStorage
{
    /// <summary>Unchanged: four bytes a value.</summary>
    Float32,

    /// <summary>float16, cast back at session start: two bytes a value, each rounded to 11 significant bits.</summary>
    Float16,

    /// <summary>
    /// 256 evenly spaced levels between the tensor's smallest and largest value, looked up at session start: one byte a
    /// value, each moved by at most half a level ((max − min) / 510).
    /// </summary>
    Byte,
}
