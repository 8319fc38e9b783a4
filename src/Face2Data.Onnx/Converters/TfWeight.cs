namespace Face2Data.Onnx.Converters;

/// <summary>One named weight of a TensorFlow.js model, dequantized.</summary>
/// <param name="Name">Its name in the manifest, such as <c>conv1/pointwise_filter</c>.</param>
/// <param name="Shape">TensorFlow's shape.</param>
/// <param name="Values">The values in TensorFlow's (row-major) order.</param>
public sealed record TfWeight(string Name, int[] Shape, float[] Values);
