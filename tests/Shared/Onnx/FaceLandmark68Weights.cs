namespace Face2Data.Testing;

/// <summary>
/// A small stand-in for face-api.js's 68-point face landmark weights: a TensorFlow.js manifest of uint8-quantized
/// weights (the last bias float32) with the real network's names and layout, only fewer channels.
/// </summary>
internal static class FaceLandmark68Weights
{
    /// <summary>Channels out of each dense block (the real full model: 32, 64, 128, 256; the tiny one: 32, 64, 128).</summary>
    public static IReadOnlyList<int> Channels { get; } = [4, 6, 8, 8];

    /// <summary>The per-channel mean the network subtracts from RGB pixels.</summary>
    public static IReadOnlyList<float> MeanRgb { get; } = [122.782f, 117.001f, 104.298f];

    /// <summary>
    /// Writes <c>landmarks-weights_manifest.json</c> and its shard <c>landmarks.bin</c> into <paramref name="folder"/>:
    /// <paramref name="blocks"/> dense blocks of <paramref name="convolutions"/> convolutions (4 and 4 for the full
    /// model, 3 and 3 for the tiny one) with <see cref="Channels"/> and random weights, and returns the manifest's
    /// path. <paramref name="damage"/> spoils them: no-fc or wide-output.
    /// </summary>
    public static string Write(string folder, int seed, int blocks = 4, int convolutions = 4, string? damage = null)
    {
        var random = new Random(seed);
        var entries = new List<(string Name, int[] Shape, bool Float)>
        {
            ("dense0/conv0/filters", [3, 3, 3, Channels[0]], false),
            ("dense0/conv0/bias", [Channels[0]], false),
        };
        for (var block = 0; block < blocks; block++)
        {
            for (var k = block == 0 ? 1 : 0; k < convolutions; k++)
            {
                var channelsIn = k == 0 ? Channels[block - 1] : Channels[block];
                entries.Add(($"dense{block}/conv{k}/depthwise_filter", [3, 3, channelsIn, 1], false));
                entries.Add(($"dense{block}/conv{k}/pointwise_filter", [1, 1, channelsIn, Channels[block]], false));
                entries.Add(($"dense{block}/conv{k}/bias", [Channels[block]], false));
            }
        }

        var outputs = damage == "wide-output" ? 140 : 136;
        if (damage != "no-fc")
        {
            entries.Add(("fc/weights", [Channels[blocks - 1], outputs], false));
            entries.Add(("fc/bias", [outputs], true));
        }

        return TfjsManifestWriter.Write(folder, "landmarks", entries, random);
    }
}
