using Face2Data.Imaging;
using Face2Data.Training.Models;
using Face2Data.Training.Training;
using TorchSharp;

namespace Face2Data.Training.Tests.Training;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("f2d-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Save_then_load_gives_equal_outputs_and_info()
    {
        torch.manual_seed(2);
        var spec = ModelSpec.For("f2d", TestSchemas.EightHeads, 24);
        using var model = spec.Create();
        model.eval();
        var path = Path.Combine(_directory, "best.ckpt");
        var info = new CheckpointInfo { Model = spec, Preprocessing = new ImagePreprocessing { Size = 24 }, Epoch = 3, TrainingData = "synthetic" };
        Checkpoint.Save(path, model, info);

        var (loaded, loadedInfo) = Checkpoint.Load(Checkpoint.ResolvePath(Path.Combine(_directory, "best")));
        using (loaded)
        {
            loaded.eval();
            using var input = torch.randn(2, 3, 24, 24);
            var expected = model.forward(input);
            var actual = loaded.forward(input);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.True(torch.allclose(expected[i], actual[i], rtol: 0, atol: 0));
            }
        }

        Assert.Equal(3, loadedInfo.Epoch);
        Assert.Equal(spec, loadedInfo.Model);
        Assert.Equal(24, loadedInfo.Preprocessing.Size);
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void Saving_again_replaces_the_checkpoint_in_one_step()
    {
        var spec = ModelSpec.For("f2d", TestSchemas.TwoHeads, 16);
        using var model = spec.Create();
        var path = Path.Combine(_directory, "last.ckpt");
        Checkpoint.Save(path, model, new CheckpointInfo { Model = spec, Preprocessing = new ImagePreprocessing { Size = 16 }, Epoch = 1 });
        Checkpoint.Save(path, model, new CheckpointInfo { Model = spec, Preprocessing = new ImagePreprocessing { Size = 16 }, Epoch = 2 });
        Assert.Equal(2, Checkpoint.ReadInfo(path).Epoch);
        Assert.Equal(["last.ckpt"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Truncated_checkpoint_gives_a_clear_error()
    {
        var spec = ModelSpec.For("f2d", TestSchemas.TwoHeads, 16);
        using var model = spec.Create();
        var path = Path.Combine(_directory, "cut.ckpt");
        Checkpoint.Save(path, model, new CheckpointInfo { Model = spec, Preprocessing = new ImagePreprocessing { Size = 16 } });
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..40]);
        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path));
        Assert.Contains("cut.ckpt", error.Message);
    }

    [Fact]
    public void Non_checkpoint_file_is_rejected()
    {
        var path = Path.Combine(_directory, "notes.txt");
        File.WriteAllText(path, "hello");
        Assert.Contains("not a Face2Data checkpoint", Assert.Throws<InvalidDataException>(() => Checkpoint.ReadInfo(path)).Message);
    }
}
