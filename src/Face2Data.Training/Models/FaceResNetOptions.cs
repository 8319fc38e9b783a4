namespace Face2Data.Training.Models;

/// <summary>Heads on face-api.js's face recognition network (<see cref="FaceResNet"/>).</summary>
public sealed record FaceResNetOptions
{
    /// <summary>Stages whose averages make the features (see <see cref="FaceRecognitionResNet"/>'s levels): 1, 2 or 3.</summary>
    public int Levels { get; init; } = 1;

    /// <summary>The tower of each head, reading the trunk's features.</summary>
    public HeadTowerOptions Tower { get; init; } = new(Hidden: 256, BatchNorm: false, Dropout: 0.3);
}
