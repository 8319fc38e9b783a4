using System.Text;
using Face2Data.Inference;

namespace Face2Data.Tests.Inference;

public sealed class OnnxFaceModelTests
{
    [Fact]
    public void Load_of_bytes_that_are_not_onnx_gives_a_clear_error()
    {
        var error = Assert.Throws<InvalidDataException>(() => OnnxFaceModel.Load(Encoding.UTF8.GetBytes("this is not an ONNX model")));

        Assert.StartsWith("The model data is not a valid ONNX model:", error.Message);
    }

    [Fact]
    public void Load_of_a_file_that_is_not_onnx_names_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"face2data-not-onnx-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 6, 7, 8]);
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => OnnxFaceModel.Load(path));

            Assert.StartsWith($"'{path}' is not a valid ONNX model:", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_of_a_missing_file_throws_FileNotFoundException()
    {
        var path = Path.Combine(Path.GetTempPath(), $"face2data-missing-{Guid.NewGuid():N}.onnx");

        var error = Assert.Throws<FileNotFoundException>(() => OnnxFaceModel.Load(path));

        Assert.Equal(path, error.FileName);
    }

    [Fact]
    public void Negative_thread_count_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OnnxFaceModel.Load([1, 2, 3], new OnnxFaceModelOptions { IntraOpThreads = -1 }));
    }
}
