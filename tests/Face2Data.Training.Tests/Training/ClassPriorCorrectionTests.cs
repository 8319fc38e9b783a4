using Face2Data.Datasets;
using Face2Data.Imaging;
using Face2Data.Schema;
using Face2Data.Training.Models;
using Face2Data.Training.Training;
using TorchSharp;

namespace Face2Data.Training.Tests.Training;

/// <summary>
/// <see cref="ClassPriorCorrection"/>: priors counted over the training indices only, logits shifted by exactly
/// −τ·log(prior) and nothing else, the corrected checkpoint labelled, and bad requests refused.
/// </summary>
[Collection(TorchRandomCollection.Name)]
public sealed class ClassPriorCorrectionTests : IDisposable
{
    private static readonly AttributeSchema Schema = new(
    [
        AttributeHead.Regression("age", 0, 100),
        AttributeHead.Categorical("race", ["a", "b", "c"]),
    ]);

    private readonly string _folder = Directory.CreateTempSubdirectory("prior-correction-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Samples 0-7: classes a, a, a, a, b, b, c, c; sample 8 (class c) is not a training sample.
    private static InMemoryDataset Dataset() => new(Schema,
        new[] { 0, 0, 0, 0, 1, 1, 2, 2, 2 }.Select((c, i) => new FaceSample($"img{i}.jpg", [20 + i, c])).ToArray());

    private static readonly int[] Train = [0, 1, 2, 3, 4, 5, 6, 7];

    [Fact]
    public void Priors_are_the_class_shares_of_the_training_indices()
    {
        Assert.Equal([0.5, 0.25, 0.25], ClassPriorCorrection.Priors(Dataset(), Train, "race"));
    }

    [Fact]
    public void Shift_is_minus_tau_times_log_prior()
    {
        var shift = ClassPriorCorrection.Shift([0.5, 0.25, 0.25], 0.5);

        Assert.Equal([0.5 * Math.Log(2), 0.5 * Math.Log(4), 0.5 * Math.Log(4)], shift, new RoundedComparer());
    }

    [Fact]
    public void Only_the_corrected_heads_logits_move_and_by_the_shift()
    {
        using var model = ModelSpec.For("f2d", Schema, 32).Create();
        model.eval();
        torch.manual_seed(3);
        using var input = torch.rand(2, 3, 32, 32);
        using var noGrad = torch.no_grad();
        var before = model.forward(input).Select(t => t.data<float>().ToArray()).ToArray();

        ClassPriorCorrection.Apply(model, "race", [1.0, -2.0, 0.5]);

        var after = model.forward(input).Select(t => t.data<float>().ToArray()).ToArray();
        Assert.Equal(before[0], after[0]);
        var expected = before[1].Select((v, i) => v + (new[] { 1f, -2f, 0.5f })[i % 3]).ToArray();
        Assert.All(expected.Zip(after[1]), p => Assert.Equal(p.First, p.Second, 5));
    }

    [Fact]
    public void The_corrected_checkpoint_says_what_was_done_and_is_not_corrected_twice()
    {
        // Trained with other loss settings than the dataset's schema states (train --loss-weights, --regression-loss).
        var trainedSchema = new AttributeSchema([AttributeHead.Regression("age", 0, 100, loss: "distribution"), Schema.Heads[1]]);
        using (var model = ModelSpec.For("f2d", trainedSchema, 32).Create())
        {
            Checkpoint.Save(Path.Combine(_folder, "best.ckpt"), model, new CheckpointInfo { Model = ModelSpec.For("f2d", trainedSchema, 32), Preprocessing = new ImagePreprocessing { Size = 32 }, Epoch = 4 });
        }

        var corrected = Path.Combine(_folder, "corrected.ckpt");
        var (priors, _) = ClassPriorCorrection.CorrectCheckpoint(Path.Combine(_folder, "best"), corrected, Dataset(), Train, "race", 1);

        Assert.Equal([0.5, 0.25, 0.25], priors);
        var (loaded, info) = Checkpoint.Load(corrected);
        loaded.Dispose();
        Assert.Equal("race logits shifted by -1·log(training prior) (a 0.500, b 0.250, c 0.250; 8 training samples)", info.PriorCorrection);
        Assert.Null(info.Metrics);
        var error = Assert.Throws<ArgumentException>(() => ClassPriorCorrection.CorrectCheckpoint(corrected, Path.Combine(_folder, "twice.ckpt"), Dataset(), Train, "race", 1));
        Assert.Contains("corrected already", error.Message);
    }

    [Fact]
    public void A_class_without_training_samples_a_regression_head_and_a_strength_over_one_are_refused()
    {
        var missing = Assert.Throws<ArgumentException>(() => ClassPriorCorrection.Priors(Dataset(), [0, 1, 4], "race"));
        Assert.Contains("class(es) c have no training samples", missing.Message);

        var regression = Assert.Throws<ArgumentException>(() => ClassPriorCorrection.Priors(Dataset(), Train, "age"));
        Assert.Contains("not categorical", regression.Message);

        var unknown = Assert.Throws<ArgumentException>(() => ClassPriorCorrection.Priors(Dataset(), Train, "gender"));
        Assert.Contains("no head named gender; it has age, race", unknown.Message);

        Assert.Throws<ArgumentOutOfRangeException>(() => ClassPriorCorrection.Shift([0.5, 0.5], 1.5));
    }

    private sealed class RoundedComparer : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-12;

        public int GetHashCode(double obj) => 0;
    }
}
