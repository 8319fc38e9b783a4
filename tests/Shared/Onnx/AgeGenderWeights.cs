namespace Face2Data.Testing;

/// <summary>
/// A small stand-in for face-api.js's age and gender weights: a TensorFlow.js manifest of uint8-quantized weights
/// (the biases of the fully connected layers float32) with the real network's names and layout (TinyXception with two
/// main blocks, then fc/age and fc/gender), only fewer channels.
/// </summary>
internal static class AgeGenderWeights
{
    /// <summary>Channels of conv_in, reduction blocks 0 and 1 (and the main blocks), the exit reduction block and the exit separable convolution (the real model: 32, 64, 128, 256, 512).</summary>
    public static IReadOnlyList<int> Channels { get; } = [4, 6, 8, 10, 12];

    /// <summary>The per-channel mean the network subtracts from RGB pixels.</summary>
    public static IReadOnlyList<float> MeanRgb { get; } = [122.782f, 117.001f, 104.298f];

    /// <summary>
    /// Writes <c>age_gender-weights_manifest.json</c> and its shard <c>age_gender.bin</c> into <paramref name="folder"/>
    /// with random weights and returns the manifest's path. <paramref name="damage"/> spoils them: no-fc (no age
    /// layer), three-genders (fc/gender with 3 outputs) or no-main-block-conv (main block 1 lacks separable_conv2).
    /// <paramref name="channels"/> replaces <see cref="Channels"/> (32, 64, 128, 256, 512 give the real layout).
    /// </summary>
    public static string Write(string folder, int seed, string? damage = null, IReadOnlyList<int>? channels = null)
    {
        var random = new Random(seed);
        var c = channels ?? Channels;
        var entries = new List<(string Name, int[] Shape, bool Float)>
        {
            ("entry_flow/conv_in/filters", [3, 3, 3, c[0]], false),
            ("entry_flow/conv_in/bias", [c[0]], false),
        };
        void Separable(string name, int cin, int cout)
        {
            entries.Add(($"{name}/depthwise_filter", [3, 3, cin, 1], false));
            entries.Add(($"{name}/pointwise_filter", [1, 1, cin, cout], false));
            entries.Add(($"{name}/bias", [cout], false));
        }

        void Reduction(string name, int cin, int cout)
        {
            Separable($"{name}/separable_conv0", cin, cout);
            Separable($"{name}/separable_conv1", cout, cout);
            entries.Add(($"{name}/expansion_conv/filters", [1, 1, cin, cout], false));
            entries.Add(($"{name}/expansion_conv/bias", [cout], false));
        }

        Reduction("entry_flow/reduction_block_0", c[0], c[1]);
        Reduction("entry_flow/reduction_block_1", c[1], c[2]);
        for (var block = 0; block < 2; block++)
        {
            for (var k = 0; k < 3; k++)
            {
                if (damage != "no-main-block-conv" || block != 1 || k != 2)
                {
                    Separable($"middle_flow/main_block_{block}/separable_conv{k}", c[2], c[2]);
                }
            }
        }

        Reduction("exit_flow/reduction_block", c[2], c[3]);
        Separable("exit_flow/separable_conv", c[3], c[4]);
        if (damage != "no-fc")
        {
            entries.Add(("fc/age/weights", [c[4], 1], false));
            entries.Add(("fc/age/bias", [1], true));
        }

        var genders = damage == "three-genders" ? 3 : 2;
        entries.Add(("fc/gender/weights", [c[4], genders], false));
        entries.Add(("fc/gender/bias", [genders], true));

        return TfjsManifestWriter.Write(folder, "age_gender", entries, random);
    }
}
