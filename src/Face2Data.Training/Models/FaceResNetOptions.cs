namespace Face2Data.Training.Models;

/// <summary>Heads on face-api.js's face recognition network (<see cref="FaceResNet"/>).</summary>
public sealed record FaceResNetOptions
{
    /// <summary>Stages whose averages make the features (see <see cref="FaceRecognitionResNet"/>'s levels): 1, 2 or 3.</summary>
    public int Levels { get; init; } = 1;

    /// <summary>How many of the trunk's last blocks train with the heads (0 to 3); the rest stays frozen.</summary>
    public int TrainedBlocks { get; init; }

    /// <summary>
    /// Whether the heads also read the 512 features of face-api.js's age and gender network (<see cref="AgeGenderXception"/>,
    /// frozen), a second pretrained network trained for age and gender rather than identity.
    /// </summary>
    public bool AgeGenderFeatures { get; init; }

    /// <summary>Side the age and gender network runs at (face-api.js's 112, or a smaller multiple of 16 for speed).</summary>
    public int AgeGenderInputSize { get; init; } = 112;

    /// <summary>The tower of each head, reading the trunk's features.</summary>
    public HeadTowerOptions Tower { get; init; } = new(Hidden: 256, BatchNorm: false, Dropout: 0.3);
}
