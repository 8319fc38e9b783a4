using Microsoft.ML.OnnxRuntime;

namespace Face2Data.Detection;

// One ONNX Runtime session over a converted network file (detector or landmark network), with the checks each of
// them needs before use: the file exists (else the caller's remedy), ONNX Runtime loads it, and it has the inputs and
// outputs the caller runs. Owns its session options; thread-safe as the session is.
internal sealed class OnnxNetwork : IDisposable
{
    private readonly SessionOptions _options;

    private OnnxNetwork(SessionOptions options, InferenceSession session)
    {
        _options = options;
        Session = session;
    }

    public InferenceSession Session { get; }

    // Opens `path` with `options` (taken over: disposed with the network, or at once if opening fails). `kind` names
    // what the file should be ("a Tiny Face Detector"), for the message when its inputs or outputs are not there.
    public static OnnxNetwork Open(string path, SessionOptions options, string missing, string kind, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs)
    {
        if (!File.Exists(path))
        {
            options.Dispose();
            throw new FileNotFoundException(missing, path);
        }

        InferenceSession session;
        try
        {
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException error)
        {
            options.Dispose();
            throw new InvalidDataException($"'{path}' is not an ONNX model ONNX Runtime can load: {error.Message}", error);
        }

        var network = new OnnxNetwork(options, session);
        if (inputs.Any(n => !session.InputMetadata.ContainsKey(n)) || outputs.Any(n => !session.OutputMetadata.ContainsKey(n)))
        {
            network.Dispose();
            throw new InvalidDataException($"'{path}' is not {kind} converted by face2data (expected {Names(inputs, "input")} and {Names(outputs, "output")}).");
        }

        return network;
    }

    public void Dispose()
    {
        Session.Dispose();
        _options.Dispose();
    }

    private static string Names(IReadOnlyList<string> names, string what) => names.Count switch
    {
        0 => $"no {what}",
        1 => $"an {what} '{names[0]}'",
        _ => $"{what}s {string.Join(", ", names.SkipLast(1).Select(n => $"'{n}'"))} and '{names[^1]}'",
    };
}
