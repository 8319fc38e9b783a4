using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Face2Data.Datasets;
using Face2Data.IO;
using Face2Data.Training.Models;
using TorchSharp.Modules;

namespace Face2Data.Training.Training;

/// <summary>
/// A checkpoint file: a JSON <see cref="CheckpointInfo"/> (model spec, preprocessing, metrics, trainer state), the
/// model's weights and optionally the optimizer's state. Written to a temporary file and renamed over the old one,
/// so a crash mid-write never leaves a broken checkpoint.
/// </summary>
public static class Checkpoint
{
    /// <summary>File extension of checkpoints.</summary>
    public const string Extension = ".ckpt";

    private static readonly byte[] Magic = "F2DCKPT1"u8.ToArray();

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    /// <summary>Writes a checkpoint atomically.</summary>
    public static void Save(string path, MultiHeadModel model, CheckpointInfo info, OptimizerHelper? optimizer = null)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            var json = JsonSerializer.SerializeToUtf8Bytes(info, JsonOptions);
            writer.Write(json.Length);
            writer.Write(json);
            WriteSection(writer, w => model.save(w));
            WriteSection(writer, w => optimizer?.save_state_dict(w));
        });
    }

    /// <summary>The name of a checkpoint's run folder (runs/NAME/best.ckpt → NAME), which names the run in reports.</summary>
    public static string RunName(string checkpointPath) =>
        Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(checkpointPath))) ?? "face2data";

    /// <summary>Reads a checkpoint's info without building the model.</summary>
    public static CheckpointInfo ReadInfo(string path)
    {
        using var reader = OpenReader(path);
        return ReadInfo(reader, path);
    }

    /// <summary>Rebuilds the model from the checkpoint's spec and loads its weights.</summary>
    public static (MultiHeadModel Model, CheckpointInfo Info) Load(string path)
    {
        using var reader = OpenReader(path);
        var info = ReadInfo(reader, path);
        var model = info.Model.Create();
        try
        {
            LoadWeights(reader, model, path);
            return (model, info);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Loads the checkpoint's weights into an existing model of the same spec, and the optimizer state when given.</summary>
    public static CheckpointInfo LoadInto(string path, MultiHeadModel model, OptimizerHelper? optimizer = null)
    {
        using var reader = OpenReader(path);
        var info = ReadInfo(reader, path);
        LoadWeights(reader, model, path);
        var optimizerBytes = reader.ReadInt64();
        if (optimizer is not null && optimizerBytes > 0)
        {
            optimizer.load_state_dict(reader);
        }

        return info;
    }

    /// <summary>Resolves <c>runs/x/best</c> to <c>runs/x/best.ckpt</c> when the former doesn't exist.</summary>
    public static string ResolvePath(string path) =>
        !File.Exists(path) && File.Exists(path + Extension) ? path + Extension : path;

    private static void WriteSection(BinaryWriter writer, Action<BinaryWriter> write)
    {
        // Length-prefixed so a reader can tell whether a section holds anything.
        var lengthPosition = writer.BaseStream.Position;
        writer.Write(0L);
        var start = writer.BaseStream.Position;
        write(writer);
        writer.Flush();
        var end = writer.BaseStream.Position;
        writer.BaseStream.Position = lengthPosition;
        writer.Write(end - start);
        writer.BaseStream.Position = end;
    }

    private static BinaryReader OpenReader(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No checkpoint at '{path}'.", path);
        }

        return new BinaryReader(File.OpenRead(path), Encoding.UTF8);
    }

    private static CheckpointInfo ReadInfo(BinaryReader reader, string path)
    {
        try
        {
            var magic = reader.ReadBytes(Magic.Length);
            if (!magic.AsSpan().SequenceEqual(Magic))
            {
                throw new InvalidDataException($"'{path}' is not a Face2Data checkpoint.");
            }

            var length = reader.ReadInt32();
            if (length <= 0 || length > 64 << 20)
            {
                throw new InvalidDataException($"'{path}' has a corrupt header.");
            }

            return JsonSerializer.Deserialize<CheckpointInfo>(reader.ReadBytes(length), JsonOptions)
                ?? throw new InvalidDataException($"'{path}' has an empty header.");
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException)
        {
            throw new InvalidDataException($"'{path}' is truncated or corrupt: {e.Message}", e);
        }
    }

    private static void LoadWeights(BinaryReader reader, MultiHeadModel model, string path)
    {
        var length = reader.ReadInt64();
        var start = reader.BaseStream.Position;
        model.load(reader);
        if (reader.BaseStream.Position - start != length)
        {
            throw new InvalidDataException($"'{path}': the weights section does not match the model.");
        }
    }
}
