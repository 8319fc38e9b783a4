namespace Face2Data.Server.Contracts;

/// <summary>Milliseconds spent on each step of a request.</summary>
/// <param name="Decode">Decoding the image.</param>
/// <param name="Detect">Finding faces.</param>
/// <param name="Infer">Cropping, preprocessing and running the model.</param>
/// <param name="Queue">Waiting for an inference slot.</param>
/// <param name="Total">The whole request as the server saw it: reading the upload, checks, queue and analysis.</param>
public sealed record TimingsResponse(double Decode, double Detect, double Infer, double Queue, double Total);
