using Face2Data.Inference;
using Face2Data.Onnx.Protobuf;
using Face2Data.Schema;
using Face2Data.Training.Export;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static Face2Data.Training.Tests.Export.ExportTestData;

namespace Face2Data.Training.Tests.Export;

public sealed class OnnxExporterTests
{
    private const int Batch = 3;

    [Fact]
    public void Exported_two_head_model_matches_TorchSharp_outputs() => AssertParity(TwoHeads, seed: 11);

    [Fact]
    public void Exported_eight_head_model_matches_TorchSharp_outputs() => AssertParity(EightHeads, seed: 12);

    [Fact]
    public void Export_writes_a_file_whose_manifest_round_trips_through_OnnxFaceModel()
    {
        using var model = TrainedNet(TwoHeads, seed: 21);
        var manifest = Manifest(TwoHeads);
        var directory = Directory.CreateTempSubdirectory("face2data-export-");
        try
        {
            var path = Path.Combine(directory.FullName, "model.onnx");
            OnnxExporter.Export(model, manifest, path);

            Assert.Equal(["model.onnx"], directory.GetFiles().Select(f => f.Name));
            using var onnx = OnnxFaceModel.Load(path);
            var loaded = onnx.Manifest;
            Assert.Equal("parity-net", loaded.Name);
            Assert.Equal("0.1.0", loaded.Version);
            Assert.Equal("parity-net-w8", loaded.Architecture);
            Assert.True(loaded.Schema.SameHeadsAs(TwoHeads));
            Assert.Equal(InputSize, onnx.InputSize);
            Assert.Equal(manifest.Preprocessing.Resize, loaded.Preprocessing.Resize);
            Assert.Equal(manifest.Preprocessing.Mean, loaded.Preprocessing.Mean);
            Assert.Equal(manifest.Preprocessing.Std, loaded.Preprocessing.Std);
            Assert.Equal(manifest.Crop, loaded.Crop);
            Assert.Equal(manifest.Metrics.OrderBy(p => p.Key), loaded.Metrics.OrderBy(p => p.Key));
            Assert.Equal("synthetic test data", loaded.TrainingData);
            Assert.Equal("CC BY-NC-SA 4.0", loaded.License);
            Assert.Equal(manifest.CreatedUtc, loaded.CreatedUtc);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Test_time_flip_export_averages_each_image_with_its_mirror()
    {
        using var model = TrainedNet(TwoHeads, seed: 41);
        var input = RandomInput(Batch, seed: 141);
        var mirrored = Mirror(input, Batch);
        var directory = Directory.CreateTempSubdirectory("face2data-export-");
        try
        {
            var plainPath = Path.Combine(directory.FullName, "plain.onnx");
            var flipPath = Path.Combine(directory.FullName, "flip.onnx");
            OnnxExporter.Export(model, Manifest(TwoHeads), plainPath);
            OnnxExporter.Export(model, Manifest(TwoHeads) with { TestTimeFlip = true }, flipPath);
            using var plain = OnnxFaceModel.Load(plainPath);
            using var flip = OnnxFaceModel.Load(flipPath);

            Assert.False(plain.Manifest.TestTimeFlip);
            Assert.True(flip.Manifest.TestTimeFlip);
            var original = plain.Predict(input, Batch);
            var mirror = plain.Predict(mirrored, Batch);
            var averaged = flip.Predict(input, Batch);
            Assert.Equal(Batch, averaged.BatchSize);
            foreach (var head in TwoHeads.Heads)
            {
                var expected = original[head.Name].Zip(mirror[head.Name], (a, b) => (a + b) / 2).ToArray();
                Assert.True(MaxAbsDifference(expected, averaged[head.Name]) <= 1e-5f, $"Head '{head.Name}' is not the mean of image and mirror.");
                // Random weights are not mirror-symmetric, so the average must differ from the plain output.
                Assert.True(MaxAbsDifference(original[head.Name], averaged[head.Name]) > 1e-4f);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    // Mirrors NCHW images left-right.
    private static float[] Mirror(float[] input, int batch)
    {
        var mirrored = new float[input.Length];
        var planes = batch * 3;
        for (var p = 0; p < planes; p++)
        {
            for (var y = 0; y < InputSize; y++)
            {
                var row = ((p * InputSize) + y) * InputSize;
                for (var x = 0; x < InputSize; x++)
                {
                    mirrored[row + x] = input[row + InputSize - 1 - x];
                }
            }
        }

        return mirrored;
    }

    [Fact]
    public void Exported_graph_has_image_input_head_outputs_and_model_header()
    {
        using var model = TrainedNet(EightHeads, seed: 31);
        var bytes = OnnxExporter.ExportToBytes(model, EightHeads, InputSize, Manifest(EightHeads).ToMetadata());

        var proto = ModelProto.Parser.ParseFrom(bytes);
        Assert.Equal(8, proto.IrVersion);
        Assert.Equal("face2data", proto.ProducerName);
        var opset = Assert.Single(proto.OpsetImport);
        Assert.Equal(("", 17L), (opset.Domain, opset.Version));
        Assert.Equal(EightHeads.Heads.Select(h => h.Name), proto.Graph.Output.Select(o => o.Name));
        Assert.Equal(["image"], proto.Graph.Input.Select(i => i.Name));
        Assert.Contains(proto.MetadataProps, p => p.Key == "face2data.schema");
        // proto2 presence: an attribute set to its default value (0) is still written.
        var ceilMode = proto.Graph.Node.Single(n => n.OpType == "MaxPool").Attribute.Single(a => a.Name == "ceil_mode");
        Assert.True(ceilMode.HasI);
        Assert.Equal(0, ceilMode.I);

        using var session = new InferenceSession(bytes);
        var input = Assert.Single(session.InputMetadata);
        Assert.Equal("image", input.Key);
        Assert.Equal([-1, 3, InputSize, InputSize], input.Value.Dimensions);
        Assert.Equal("N", input.Value.SymbolicDimensions[0]);
        Assert.Equal(EightHeads.Heads.Select(h => h.Name), session.OutputNames);
        foreach (var head in EightHeads.Heads)
        {
            Assert.Equal([-1, head.OutputCount], session.OutputMetadata[head.Name].Dimensions);
        }
    }

    [Fact]
    public void Export_folds_every_conv_batchnorm_pair_and_keeps_the_standalone_batchnorm()
    {
        using var model = TrainedNet(TwoHeads, seed: 41);
        var proto = ModelProto.Parser.ParseFrom(OnnxExporter.BuildModel(model, TwoHeads, InputSize, new Dictionary<string, string>()));
        var operators = proto.Graph.Node.Select(n => n.OpType).ToList();

        // Stem conv, two residual convs, pointwise and depthwise convs; only the neck's BN has no conv before it.
        Assert.Equal(5, operators.Count(o => o == "Conv"));
        Assert.Equal(1, operators.Count(o => o == "BatchNormalization"));
        Assert.Equal(1, operators.Count(o => o == "Softmax"));
        Assert.Equal(1, operators.Count(o => o == "Identity"));
        var depthwise = proto.Graph.Node.Single(n => n.OpType == "Conv" && n.Attribute.Single(a => a.Name == "group").I == 8);
        Assert.Equal([1L, 1, 1, 1], depthwise.Attribute.Single(a => a.Name == "pads").Ints);
    }

    [Fact]
    public void Export_restores_the_models_training_mode()
    {
        using var model = TrainedNet(TwoHeads, seed: 51);
        model.train();
        OnnxExporter.ExportToBytes(model, TwoHeads, InputSize, new Dictionary<string, string>());
        Assert.True(model.training);

        model.eval();
        OnnxExporter.ExportToBytes(model, TwoHeads, InputSize, new Dictionary<string, string>());
        Assert.False(model.training);
    }

    [Fact]
    public void Export_rejects_a_head_layer_of_the_wrong_width()
    {
        using var model = TrainedNet(TwoHeads, seed: 61, wrongHeadWidth: 3);
        var error = Assert.Throws<InvalidOperationException>(() => OnnxExporter.ExportToBytes(model, TwoHeads, InputSize, new Dictionary<string, string>()));
        Assert.Equal("Head 'age' needs 1 values per image, but the exported graph gives shape [2, 3] for a batch of 2.", error.Message);
    }

    [Fact]
    public void Export_rejects_a_module_that_is_not_multi_head()
    {
        using var module = torch.nn.Sequential(torch.nn.ReLU());
        var error = Assert.Throws<ArgumentException>(() => OnnxExporter.ExportToBytes(module, TwoHeads, InputSize, new Dictionary<string, string>()));
        Assert.StartsWith("Sequential does not implement IMultiHeadModel", error.Message);
    }

    [Fact]
    public void Export_rejects_a_manifest_for_another_schema()
    {
        using var model = TrainedNet(TwoHeads, seed: 71);
        var metadata = Manifest(EightHeads).ToMetadata();
        var error = Assert.Throws<ArgumentException>(() => OnnxExporter.ExportToBytes(model, TwoHeads, InputSize, metadata));
        Assert.StartsWith("The manifest's schema differs", error.Message);
    }

    [Fact]
    public void Export_leaves_no_file_when_the_model_cannot_be_exported()
    {
        using var model = TrainedNet(TwoHeads, seed: 81, wrongHeadWidth: 3);
        var directory = Directory.CreateTempSubdirectory("face2data-export-");
        try
        {
            var path = Path.Combine(directory.FullName, "model.onnx");
            Assert.Throws<InvalidOperationException>(() => OnnxExporter.Export(model, Manifest(TwoHeads), path));
            Assert.Empty(directory.GetFiles());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static void AssertParity(AttributeSchema schema, long seed)
    {
        using var model = TrainedNet(schema, seed);
        var input = RandomInput(Batch, seed + 100);
        var expected = TorchOutputs(model, schema, input, Batch);

        using var stream = new MemoryStream();
        OnnxExporter.ExportTo(model, schema, InputSize, Manifest(schema).ToMetadata(), stream);
        stream.Position = 0;
        using var onnx = OnnxFaceModel.Load(stream);
        var actual = onnx.Predict(input, Batch);

        Assert.Equal(Batch, actual.BatchSize);
        for (var i = 0; i < schema.Heads.Count; i++)
        {
            var head = schema.Heads[i];
            Assert.Equal(Batch * head.OutputCount, actual[head.Name].Length);
            var difference = MaxAbsDifference(expected[i], actual[head.Name]);
            Assert.True(difference <= 1e-4f, $"Head '{head.Name}' differs by {difference}.");
        }

        // The outputs must carry signal: images differ, and probabilities sum to 1.
        var first = schema.Heads[0].Name;
        Assert.NotEqual(actual.Row(first, 0).ToArray(), actual.Row(first, 1).ToArray());
        foreach (var head in schema.Heads.Where(h => h.Kind == HeadKind.Categorical))
        {
            for (var n = 0; n < Batch; n++)
            {
                var sum = 0f;
                foreach (var p in actual.Row(head.Name, n))
                {
                    sum += p;
                }

                Assert.Equal(1f, sum, 1e-5f);
            }
        }
    }
}
