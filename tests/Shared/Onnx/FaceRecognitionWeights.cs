namespace Face2Data.Testing;

/// <summary>
/// Stand-in weights with the layout of face-api.js's face recognition network (its names and shapes: a 7×7 stem,
/// 14 residual blocks of 32–256 channels, fc 256→128), uint8-quantized like the published file, random values.
/// </summary>
internal static class FaceRecognitionWeights
{
    /// <summary>The residual blocks' names and widths, in order.</summary>
    public static IReadOnlyList<(string Name, int Width)> Blocks { get; } =
    [
        ("conv32_1", 32), ("conv32_2", 32), ("conv32_3", 32),
        ("conv64_down", 64), ("conv64_1", 64), ("conv64_2", 64), ("conv64_3", 64),
        ("conv128_down", 128), ("conv128_1", 128), ("conv128_2", 128),
        ("conv256_down", 256), ("conv256_1", 256), ("conv256_2", 256), ("conv256_down_out", 256),
    ];

    /// <summary>
    /// Writes <c>face_recognition-weights_manifest.json</c> and its shard into <paramref name="folder"/> and returns the
    /// manifest's path. <paramref name="damage"/> spoils them: no-fc, or narrow-block (conv128_1's second conv has 64
    /// filters).
    /// </summary>
    public static string Write(string folder, int seed, string? damage = null)
    {
        var entries = new List<(string Name, int[] Shape, bool Float)>();
        void Conv(string prefix, int kernel, int cin, int cout)
        {
            entries.Add(($"{prefix}/conv/filters", [kernel, kernel, cin, cout], false));
            entries.Add(($"{prefix}/conv/bias", [cout], false));
            entries.Add(($"{prefix}/scale/weights", [cout], false));
            entries.Add(($"{prefix}/scale/biases", [cout], false));
        }

        Conv("conv32_down", 7, 3, 32);
        var channels = 32;
        foreach (var (name, width) in Blocks)
        {
            Conv($"{name}/conv1", 3, channels, width);
            Conv($"{name}/conv2", 3, width, damage == "narrow-block" && name == "conv128_1" ? 64 : width);
            channels = width;
        }

        if (damage != "no-fc")
        {
            entries.Add(("fc", [256, 128], false));
        }

        return TfjsManifestWriter.Write(folder, "face_recognition", entries, new Random(seed));
    }
}
