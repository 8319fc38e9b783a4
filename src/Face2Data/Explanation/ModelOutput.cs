using Face2Data.Inference;
using Face2Data.Schema;

namespace Face2Data.Explanation;

/// <summary>
/// One output of an ONNX face model as an <see cref="IMaskedOutput"/>: a class's probability for a categorical
/// head, the value for a regression head (as the model gives it, before the analyzer clamps it to the head's range).
/// The masked images are mixed from the input and the baseline after normalization and sent to ONNX Runtime in
/// batches: as many images per call as asked when the model's batch dimension is dynamic (every face2data export),
/// else in calls of the model's fixed batch size, the last one padded.
/// </summary>
public sealed class ModelOutput : IMaskedOutput
{
    private readonly OnnxFaceModel _model;
    private readonly float[] _input;
    private readonly float[] _baseline;
    private readonly int _head;
    private readonly int _outputCount;
    private readonly int _output;

    /// <summary>Explains head <paramref name="head"/>'s output <paramref name="output"/> (class index; 0 for a regression head).</summary>
    /// <param name="model">The model; the caller keeps ownership.</param>
    /// <param name="rgbPixels">The face as the model's input pixels (HWC RGB, <see cref="FaceInput.Pixels"/>).</param>
    /// <param name="baselinePixels">The baseline image, same layout (<see cref="BaselineImage"/>).</param>
    /// <param name="head">The head's name.</param>
    /// <param name="output">The class index for a categorical head; 0 for a regression head.</param>
    /// <exception cref="ArgumentException">The head or output does not exist, or the pixels are not the model's input size.</exception>
    public ModelOutput(OnnxFaceModel model, ReadOnlySpan<byte> rgbPixels, ReadOnlySpan<byte> baselinePixels, string head, int output)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(head);
        var preprocessing = model.Manifest.Preprocessing;
        if (rgbPixels.Length != preprocessing.PixelLength || baselinePixels.Length != preprocessing.PixelLength)
        {
            throw new ArgumentException($"The input and the baseline must be {preprocessing.Size}×{preprocessing.Size} RGB images ({preprocessing.PixelLength} bytes).");
        }

        _head = model.Schema.IndexOf(head);
        if (_head < 0)
        {
            throw new ArgumentException($"The model has no head '{head}'; its heads are {string.Join(", ", model.Schema.Heads.Select(h => h.Name))}.", nameof(head));
        }

        var attribute = model.Schema.Heads[_head];
        _outputCount = attribute.OutputCount;
        if (output < 0 || output >= _outputCount)
        {
            throw new ArgumentOutOfRangeException(nameof(output), output, attribute.Kind == HeadKind.Regression
                ? $"Head '{head}' is a regression head with one output (0)."
                : $"Head '{head}' has {_outputCount} classes (0 to {_outputCount - 1}).");
        }

        _model = model;
        _output = output;
        _input = new float[preprocessing.TensorLength];
        _baseline = new float[preprocessing.TensorLength];
        preprocessing.Normalize(rgbPixels, _input);
        preprocessing.Normalize(baselinePixels, _baseline);
    }

    /// <inheritdoc />
    public int Size => _model.InputSize;

    /// <inheritdoc />
    public void Evaluate(ReadOnlySpan<bool> masks, Span<double> outputs)
    {
        var plane = Size * Size;
        if (masks.Length != outputs.Length * plane)
        {
            throw new ArgumentException($"Expected {outputs.Length} masks of {plane} pixels, got {masks.Length} values.", nameof(masks));
        }

        var perCall = _model.FixedBatchSize ?? Math.Max(1, outputs.Length);
        var tensor = new float[perCall * 3 * plane];
        for (var start = 0; start < outputs.Length; start += perCall)
        {
            var count = Math.Min(perCall, outputs.Length - start);
            for (var k = 0; k < perCall; k++)
            {
                // A fixed-size batch is padded with copies of its last image.
                Mix(masks.Slice((start + Math.Min(k, count - 1)) * plane, plane), tensor.AsSpan(k * 3 * plane, 3 * plane));
            }

            var values = _model.Predict(tensor, perCall).Values[_head];
            for (var k = 0; k < count; k++)
            {
                outputs[start + k] = values[(k * _outputCount) + _output];
            }
        }
    }

    private void Mix(ReadOnlySpan<bool> mask, Span<float> chw)
    {
        var plane = mask.Length;
        for (var c = 0; c < 3; c++)
        {
            var input = _input.AsSpan(c * plane, plane);
            var baseline = _baseline.AsSpan(c * plane, plane);
            var output = chw.Slice(c * plane, plane);
            for (var i = 0; i < plane; i++)
            {
                output[i] = mask[i] ? input[i] : baseline[i];
            }
        }
    }
}
