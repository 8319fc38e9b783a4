using Face2Data.Datasets;
using Face2Data.Schema;
using Face2Data.Inference;
using Face2Data.Onnx.Converters;
using Face2Data.Training.Export;
using Face2Data.Training.Features;
using Face2Data.Training.Models;
using Face2Data.Training.Tests.Export;
using Face2Data.Training.Training;
using TorchSharp;

namespace Face2Data.Training.Tests.Features;

/// <summary>
/// <see cref="FeatureHeadTrainer"/>: the heads of an 8-attribute schema train on cached features of the pretrained
/// trunk, the trunk keeps its published weights, and the best checkpoint exports to one ONNX file that computes what
/// TorchSharp computes from the images.
/// </summary>
[Collection(TorchRandomCollection.Name)]
public sealed class FeatureHeadTrainerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("feature-heads-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // 24 synthetic faces: a fifth for test, a quarter of the rest for validation.
    private TrainingData SmallData(AttributeSchema schema)
    {
        var dataset = FeatureTestData.Dataset(schema, 24, seed: 4);
        var split = DatasetSplit.Create(dataset, new DatasetSplitOptions { Seed = 1, TestFraction = 0.2, ValidationFraction = 0.25 });
        return TrainingData.From(dataset, split, Path.Combine(_folder, "pixels"));
    }

    [Theory]
    [InlineData("""{"Levels":2,"Tower":{"Hidden":32,"Dropout":0.1}}""")]
    [InlineData("""{"Levels":3,"TrainedBlocks":1,"Tower":{"Hidden":32,"Dropout":0.1}}""")]
    [InlineData("""{"Levels":3,"TrainedBlocks":1,"AgeGenderFeatures":true,"Tower":{"Hidden":32,"Dropout":0.1}}""")]
    public void Eight_heads_train_on_the_frozen_trunk_and_export_with_it(string options)
    {
        var schema = TestSchemas.EightHeads;
        var data = SmallData(schema);
        var preprocessing = FaceRecognitionResNet.Preprocessing();
        var manifest = FaceRecognitionWeights.Write(_folder, seed: 8);
        var weights = TfjsWeights.Read(manifest);
        var ageGenderWeights = TfjsWeights.Read(AgeGenderWeights.Write(Directory.CreateDirectory(Path.Combine(_folder, "age-gender")).FullName, seed: 9, channels: AgeGenderXception.PublishedChannels));
        void Load(FaceResNet model)
        {
            model.Trunk.LoadFaceApiWeights(weights);
            model.AgeGenderTrunk?.LoadFaceApiWeights(ageGenderWeights);
        }

        var spec = ModelSpec.For("face-resnet", schema, preprocessing.Size, options);
        using var images = data.Images(preprocessing, CancellationToken.None);
        IReadOnlyList<float[]> views;
        using (var model = (FaceResNet)spec.Create())
        {
            Load(model);
            model.eval();
            using var extractor = new TrunkFeatureExtractor(model.FrozenPart, preprocessing.Size, model.FrozenWidth, threads: 1);
            views = FeatureView.List(1, AugmentationOptions.Parse("flip,shift"), 3)
                .Select(v => FeatureCache.LoadOrBuild(extractor, images, preprocessing, v, Path.Combine(_folder, "features")))
                .ToList();
        }

        var training = new FeatureHeadTrainingOptions { OutputDirectory = Path.Combine(_folder, "run"), Epochs = 6, BatchSize = 8, LearningRate = 3e-3, Seed = 5 };
        var result = new FeatureHeadTrainer(training).Train(spec, m => Load((FaceResNet)m), data, preprocessing, views);

        Assert.Equal(6, result.History.Count);
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss, $"train loss {result.History[0].TrainLoss} → {result.History[^1].TrainLoss}");
        Assert.Equal(result.History.Min(e => e.ValidationLoss), result.BestValidationLoss);
        Assert.True(File.Exists(Path.Combine(training.OutputDirectory, "history.csv")));

        var (trained, info) = Checkpoint.Load(result.BestCheckpoint);
        using (trained)
        using (var fresh = (FaceResNet)spec.Create())
        {
            Load(fresh);
            // The frozen blocks keep the published weights; only the trained blocks (if any) moved.
            var trunk = ((FaceResNet)trained).Trunk;
            var changed = trunk.parameters().Zip(fresh.Trunk.parameters()).Count(p => !p.First.data<float>().ToArray().SequenceEqual(p.Second.data<float>().ToArray()));
            Assert.Equal(trunk.TrainedParameters.Count(), changed);
            Assert.Equal(trunk.TrainedBlocks == 0 ? 0 : 8, changed);
            var ageGender = ((FaceResNet)trained).AgeGenderTrunk;
            Assert.Equal(fresh.AgeGenderTrunk is null, ageGender is null);
            if (ageGender is not null)
            {
                Assert.All(ageGender.parameters().Zip(fresh.AgeGenderTrunk!.parameters()), p => Assert.Equal(p.Second.data<float>().ToArray(), p.First.data<float>().ToArray()));
            }
            Assert.Equal(preprocessing.Mean, info.Preprocessing.Mean);

            // The exported file: trunk and heads in one graph, the manifest's preprocessing, TorchSharp's outputs.
            var onnx = Path.Combine(_folder, "model.onnx");
            CheckpointExport.Export(result.BestCheckpoint, onnx, name: "heads-test");
            using var model = OnnxFaceModel.Load(onnx);
            Assert.Equal(schema.Heads.Select(h => h.Name), model.Schema.Heads.Select(h => h.Name));
            Assert.Equal(preprocessing.Mean, model.Manifest.Preprocessing.Mean);
            var input = Enumerable.Range(0, 2).SelectMany(i =>
            {
                var values = new float[preprocessing.TensorLength];
                preprocessing.Normalize(images.Image(i), values);
                return values;
            }).ToArray();
            var outputs = model.Predict(input, 2);
            trained.eval();
            using var noGrad = torch.no_grad();
            using var tensor = torch.tensor(input, [2, 3, preprocessing.Size, preprocessing.Size]);
            var expected = trained.Predict(trained.forward(tensor));
            for (var h = 0; h < schema.Heads.Count; h++)
            {
                var difference = ExportTestData.MaxAbsDifference(expected[h].data<float>().ToArray(), outputs.Values[h]);
                Assert.True(difference <= 1e-4f * Math.Max(1, schema.Heads[h].Max), $"head {schema.Heads[h].Name}: {difference}");
            }
        }
    }

    [Theory]
    [InlineData(5)] // the average of epochs 5-8 is not the lowest loss here: best.ckpt stays the best epoch's
    [InlineData(8)] // the "average" of the last epoch alone is that epoch: the same validation loss
    public void Averaged_weights_are_measured_and_kept_beside_the_best_epoch(int averageFrom)
    {
        var schema = TestSchemas.TwoHeads;
        var data = SmallData(schema);
        var preprocessing = FaceRecognitionResNet.Preprocessing();
        var weights = TfjsWeights.Read(FaceRecognitionWeights.Write(_folder, seed: 8));
        var spec = ModelSpec.For("face-resnet", schema, preprocessing.Size, """{"Levels":2,"Tower":{"Hidden":32,"Dropout":0.1}}""");
        using var images = data.Images(preprocessing, CancellationToken.None);
        float[] plain;
        using (var model = (FaceResNet)spec.Create())
        {
            model.Trunk.LoadFaceApiWeights(weights);
            model.eval();
            using var extractor = new TrunkFeatureExtractor(model.FrozenPart, preprocessing.Size, model.FrozenWidth, threads: 1);
            plain = FeatureCache.LoadOrBuild(extractor, images, preprocessing, FeatureView.List(0, AugmentationOptions.Parse("flip"), 3)[0], Path.Combine(_folder, "features"));
        }

        var training = new FeatureHeadTrainingOptions { OutputDirectory = Path.Combine(_folder, "run"), Epochs = 8, BatchSize = 8, LearningRate = 1e-2, Seed = 5, AverageFromEpoch = averageFrom };
        var trainer = new FeatureHeadTrainer(training);
        var result = trainer.Train(spec, m => ((FaceResNet)m).Trunk.LoadFaceApiWeights(weights), data, preprocessing, [plain]);

        var averaged = Assert.NotNull(result.AveragedValidationLoss);
        var (averagedModel, averagedInfo) = Checkpoint.Load(trainer.AveragedPath);
        averagedModel.Dispose();
        Assert.Equal($"trained weights averaged over epochs {averageFrom}-8; metrics are the average's", averagedInfo.Averaging);
        Assert.Equal(averaged, averagedInfo.Metrics!.ValidationLoss);
        var (bestModel, bestInfo) = Checkpoint.Load(result.BestCheckpoint);
        bestModel.Dispose();
        if (averageFrom == 8)
        {
            // Same weights; only float summation order (kernels depend on memory alignment) may differ.
            Assert.Equal(result.History[^1].ValidationLoss, averaged, 1e-5);
        }
        else
        {
            Assert.True(averaged > result.History.Min(e => e.ValidationLoss), $"averaged {averaged}");
            Assert.Equal(result.History.Min(e => e.ValidationLoss), result.BestValidationLoss);
            Assert.Equal("", bestInfo.Averaging);
            Assert.Equal(result.History.MinBy(e => e.ValidationLoss)!.Epoch, bestInfo.Epoch);
        }
    }

    [Fact]
    public void A_student_taught_by_a_teacher_ends_closer_to_the_teachers_predictions_than_one_taught_by_labels()
    {
        var schema = TestSchemas.TwoHeads;
        var data = SmallData(schema);
        var preprocessing = FaceRecognitionResNet.Preprocessing();
        var weights = TfjsWeights.Read(FaceRecognitionWeights.Write(_folder, seed: 8));
        var spec = ModelSpec.For("face-resnet", schema, preprocessing.Size, """{"Levels":2,"TrainedBlocks":1,"Tower":{"Hidden":32,"Dropout":0.1}}""");
        void Load(MultiHeadModel model) => ((FaceResNet)model).Trunk.LoadFaceApiWeights(weights);
        using var images = data.Images(preprocessing, CancellationToken.None);
        float[] plain;
        using (var model = (FaceResNet)spec.Create())
        {
            Load(model);
            model.eval();
            using var extractor = new TrunkFeatureExtractor(model.FrozenPart, preprocessing.Size, model.FrozenWidth, threads: 1);
            plain = FeatureCache.LoadOrBuild(extractor, images, preprocessing, FeatureView.List(0, AugmentationOptions.Parse("flip"), 3)[0], Path.Combine(_folder, "features"));
        }

        FeatureHeadTrainingOptions Options(string run, int seed) => new() { OutputDirectory = Path.Combine(_folder, run), Epochs = 6, BatchSize = 8, LearningRate = 3e-3, Seed = seed };
        var teacher = new FeatureHeadTrainer(Options("teacher", 5)).Train(spec, Load, data, preprocessing, [plain]).BestCheckpoint;
        var labelled = new FeatureHeadTrainer(Options("labels", 6)).Train(spec, Load, data, preprocessing, [plain]).BestCheckpoint;
        var taught = new FeatureHeadTrainer(Options("taught", 6) with { Teacher = [teacher], DistillationWeight = 1 }).Train(spec, Load, data, preprocessing, [plain]).BestCheckpoint;

        // The mean over training samples of the teacher's loss as DistillationLoss measures it: cross-entropy against
        // the teacher's gender probabilities plus the L1 distance to its (normalized) age.
        var width = plain.Length / (data.Labels.Length / schema.Heads.Count);
        double DistanceToTeacher(string checkpoint)
        {
            var (student, _) = Checkpoint.Load(checkpoint);
            var (reference, _) = Checkpoint.Load(teacher);
            using (student)
            using (reference)
            {
                student.eval();
                reference.eval();
                using var noGrad = torch.no_grad();
                using var scope = torch.NewDisposeScope();
                var x = torch.tensor(data.Train.SelectMany(i => plain.AsSpan(i * width, width).ToArray()).ToArray(), [data.Train.Count, width]);
                var targets = ((IFrozenTrunkModel)reference).ForwardFromFrozen(x).Select((r, h) => DistillationLoss.Target(schema.Heads[h], r)).ToArray();
                return new DistillationLoss(schema).Compute(((IFrozenTrunkModel)student).ForwardFromFrozen(x), targets).item<float>();
            }
        }

        var fromLabels = DistanceToTeacher(labelled);
        var fromTeacher = DistanceToTeacher(taught);
        Assert.True(fromTeacher < fromLabels, $"taught by the teacher {fromTeacher}, by the labels {fromLabels}");
        Assert.Equal("1 of the training loss against teacher's predictions", Checkpoint.ReadInfo(taught).Teacher);
        Assert.Equal("", Checkpoint.ReadInfo(labelled).Teacher);
    }

    [Fact]
    public void A_teacher_that_reads_other_features_is_refused()
    {
        var schema = TestSchemas.TwoHeads;
        var data = SmallData(schema);
        var preprocessing = FaceRecognitionResNet.Preprocessing();
        var spec = ModelSpec.For("face-resnet", schema, preprocessing.Size, """{"Levels":2,"Tower":{"Hidden":8}}""");
        var published = TfjsWeights.Read(FaceRecognitionWeights.Write(Directory.CreateDirectory(Path.Combine(_folder, "a")).FullName, seed: 8));
        var other = TfjsWeights.Read(FaceRecognitionWeights.Write(Directory.CreateDirectory(Path.Combine(_folder, "b")).FullName, seed: 9));
        var features = new float[(data.Labels.Length / schema.Heads.Count) * 384];
        var teacher = new FeatureHeadTrainer(new FeatureHeadTrainingOptions { OutputDirectory = Path.Combine(_folder, "teacher"), Epochs = 1, BatchSize = 8 })
            .Train(spec, m => ((FaceResNet)m).Trunk.LoadFaceApiWeights(other), data, preprocessing, [features]).BestCheckpoint;
        var student = new FeatureHeadTrainer(new FeatureHeadTrainingOptions { OutputDirectory = Path.Combine(_folder, "student"), Epochs = 1, BatchSize = 8, Teacher = [teacher] });

        var error = Assert.Throws<ArgumentException>(() => student.Train(spec, m => ((FaceResNet)m).Trunk.LoadFaceApiWeights(published), data, preprocessing, [features]));

        Assert.StartsWith($"The teacher {teacher}'s frozen weight '", error.Message, StringComparison.Ordinal);
        Assert.Contains("differs from the student's. A teacher must read the features the student is trained on.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Averaging_from_an_epoch_past_the_last_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new FeatureHeadTrainer(new FeatureHeadTrainingOptions { OutputDirectory = _folder, Epochs = 4, AverageFromEpoch = 5 }));

        Assert.Contains("from 1 to 4", error.Message);
    }

    [Fact]
    public void Views_that_do_not_cover_every_sample_are_refused()
    {
        var schema = TestSchemas.TwoHeads;
        var dataset = FeatureTestData.Dataset(schema, 6, seed: 1);
        var split = DatasetSplit.Create(dataset, new DatasetSplitOptions { Seed = 1, TestFraction = 0.2, ValidationFraction = 0.25 });
        var data = TrainingData.From(dataset, split, Path.Combine(_folder, "pixels"));
        var spec = ModelSpec.For("face-resnet", schema, 150);
        var trainer = new FeatureHeadTrainer(new FeatureHeadTrainingOptions { OutputDirectory = Path.Combine(_folder, "run") });

        var error = Assert.Throws<ArgumentException>(() => trainer.Train(spec, _ => { }, data, FaceRecognitionResNet.Preprocessing(), [new float[256 * 6], new float[256 * 5]]));

        Assert.Contains("each of the 6 samples", error.Message);
    }
}
