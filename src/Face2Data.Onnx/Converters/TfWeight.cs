namespace Face2Data.Onnx.Converters;

/// <summary>One named weight of a TensorFlow.js model, dequantized.</summary>
/// <param name="Name">Its name in the manifest, such as <c>conv1/pointwise_filter</c>.</param>
/// <param name="Shape">TensorFlow's shape.</param>
/// <param name="Values">The values in TensorFlow's (row-major) order.</param>
/// <param name="Quantized">For a weight the manifest stores uint8-quantized: its levels and what they stand for.</param>
public sealed record TfWeight(string Name, int[] Shape, float[] Values, TfQuantized? Quantized = null);

/// <summary>A uint8-quantized weight as the manifest stores it: <c>Values[i] = Table[Levels[i]]</c>.</summary>
/// <param name="Levels">The stored levels, in TensorFlow's (row-major) order.</param>
/// <param name="Table">The 256 values the levels stand for, <c>min + scale × level</c> (computed in double, as TF.js does).</param>
public sealed record TfQuantized(byte[] Levels, float[] Table);
