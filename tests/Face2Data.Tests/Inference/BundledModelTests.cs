using Face2Data.Inference;

namespace Face2Data.Tests.Inference;

/// <summary><see cref="BundledModel.Resolve"/>: a model argument is a file, or the name of a model shipped beside the bundled one.</summary>
public sealed class BundledModelTests
{
    private static readonly string Shipped = Path.Combine(Path.GetDirectoryName(BundledModel.Path)!, "face2data_resnet.onnx");

    [Theory]
    [InlineData("face2data-resnet")]
    [InlineData("face2data_resnet")]
    [InlineData("face2data_resnet.onnx")]
    public void The_name_of_a_shipped_model_gives_its_file(string name)
    {
        Assert.True(File.Exists(Shipped), "the Face2Data.Models package puts face2data_resnet.onnx beside the tests");

        Assert.Equal(Shipped, BundledModel.Resolve(name));
    }

    [Theory]
    [InlineData("no-such-model")]
    [InlineData("models/face2data-resnet")]
    [InlineData("/tmp/absent/model.onnx")]
    public void Anything_else_is_left_as_given_so_loading_it_names_it(string argument) =>
        Assert.Equal(argument, BundledModel.Resolve(argument));

    [Fact]
    public void An_existing_file_is_itself()
    {
        var file = Path.GetTempFileName();
        try
        {
            Assert.Equal(file, BundledModel.Resolve(file));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
