namespace Face2Data.Inference;

/// <summary>The default model that the Face2Data.Models package puts beside the application (<c>models/face2data.onnx</c>).</summary>
public static class BundledModel
{
    /// <summary>Where the bundled model is expected: <c>models/face2data.onnx</c> under the application's folder.</summary>
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "models", "face2data.onnx");

    /// <summary>True when the bundled model file is present.</summary>
    public static bool Exists => File.Exists(Path);

    /// <summary>
    /// A model argument as a file path: an existing file as it is; otherwise a bare name of a model that ships beside
    /// the bundled one (<c>face2data-resnet</c> or <c>face2data_resnet</c> for <c>models/face2data_resnet.onnx</c>)
    /// when that file is there; otherwise the argument unchanged, so loading it says what is missing.
    /// </summary>
    public static string Resolve(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        if (File.Exists(nameOrPath) || nameOrPath.IndexOfAny(['/', '\\']) >= 0)
        {
            return nameOrPath;
        }

        var file = nameOrPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? nameOrPath : nameOrPath.Replace('-', '_') + ".onnx";
        var shipped = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, file);
        return File.Exists(shipped) ? shipped : nameOrPath;
    }

    /// <summary>
    /// The file a <c>--model</c>-style argument stands for: <see cref="Resolve"/> of it when given, the bundled model
    /// (<see cref="RequirePath"/>) when null.
    /// </summary>
    public static string PathOrDefault(string? nameOrPath) => nameOrPath is null ? RequirePath() : Resolve(nameOrPath);

    /// <summary>The bundled model's path, or a clear error saying how to get a model.</summary>
    public static string RequirePath() => Exists
        ? Path
        : throw new FileNotFoundException(
            $"No bundled model at '{Path}'. Reference the Face2Data.Models package, pass a model file (--model), or export one with 'face2data export --checkpoint runs/NAME/best --out model.onnx'.",
            Path);
}
