namespace Face2Data.Server.Contracts;

/// <summary>Milliseconds spent on each step of an explanation request.</summary>
/// <param name="Queue">Waiting for an inference slot.</param>
/// <param name="Explain">Decoding, finding the face and explaining every asked head.</param>
/// <param name="Total">The whole request as the server saw it.</param>
public sealed record ExplainTimingsResponse(double Queue, double Explain, double Total);
