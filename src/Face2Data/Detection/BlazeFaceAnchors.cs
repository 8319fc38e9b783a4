namespace Face2Data.Detection;

/// <summary>
/// The SSD anchors of MediaPipe's BlazeFace detectors, as MediaPipe's <c>SsdAnchorsCalculator</c> makes them with
/// <c>fixed_anchor_size: true</c> (every anchor 1 × 1, so only the centres matter): layers of equal stride share one
/// feature map, each layer adds one anchor per aspect ratio (only 1.0 here) and one more when
/// <c>interpolated_scale_aspect_ratio</c> is positive; anchors run row by row, then column, then anchor.
/// </summary>
public static class BlazeFaceAnchors
{
    /// <summary>Anchor centres, normalised to the input (0 to 1), in the network's output order.</summary>
    /// <param name="inputSize">The square input's side in pixels.</param>
    /// <param name="strides">The stride of each layer.</param>
    /// <param name="interpolated">Whether each layer adds the interpolated-scale anchor (2 anchors per layer instead of 1).</param>
    /// <param name="offset">Anchor offset within its cell (MediaPipe: 0.5).</param>
    public static IReadOnlyList<(float X, float Y)> Generate(int inputSize, IReadOnlyList<int> strides, bool interpolated, float offset = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(strides);
        var anchors = new List<(float X, float Y)>();
        var layer = 0;
        while (layer < strides.Count)
        {
            var perCell = 0;
            var last = layer;
            while (last < strides.Count && strides[last] == strides[layer])
            {
                perCell += interpolated ? 2 : 1;
                last++;
            }

            var cells = (int)Math.Ceiling((double)inputSize / strides[layer]);
            for (var y = 0; y < cells; y++)
            {
                for (var x = 0; x < cells; x++)
                {
                    for (var a = 0; a < perCell; a++)
                    {
                        anchors.Add(((x + offset) / cells, (y + offset) / cells));
                    }
                }
            }

            layer = last;
        }

        return anchors;
    }

    /// <summary>
    /// The anchors of the model with this input side: 128, MediaPipe's short-range face detector (and the older
    /// front-camera BlazeFace), strides 8, 16, 16, 16 with two anchors per layer (896); 192, the full-range detector,
    /// stride 4 with one anchor (2304); 256, the back-camera BlazeFace, strides 16, 32, 32, 32 with two per layer (896).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">No BlazeFace model of that input side is known.</exception>
    public static IReadOnlyList<(float X, float Y)> ForInputSize(int inputSize) => inputSize switch
    {
        128 => Generate(128, [8, 16, 16, 16], interpolated: true),
        192 => Generate(192, [4], interpolated: false),
        256 => Generate(256, [16, 32, 32, 32], interpolated: true),
        _ => throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "Known BlazeFace inputs are 128 (short range), 192 (full range) and 256 (back camera)."),
    };
}
