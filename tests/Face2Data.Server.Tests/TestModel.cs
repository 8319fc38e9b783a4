namespace Face2Data.Server.Tests;

/// <summary>The tiny random-weight model the tests serve (TestData/README.md says how it was made).</summary>
internal static class TestModel
{
    public static string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", "tiny-f2d.onnx");

    /// <summary>The model's <c>age.mae</c> metric, which the server uses as the half-width of the age range.</summary>
    public const float AgeMae = 10;
}
