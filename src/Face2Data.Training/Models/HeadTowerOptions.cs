namespace Face2Data.Training.Models;

/// <summary>The small fully connected tower in front of one head's output layer.</summary>
/// <param name="Hidden">Width of the hidden layer; 0 for none (the output reads the features directly).</param>
/// <param name="BatchNorm">Batch-normalize the hidden layer (the Keras reference does, after the ReLU).</param>
/// <param name="Dropout">Dropout probability after the hidden layer.</param>
public sealed record HeadTowerOptions(int Hidden = 128, bool BatchNorm = false, double Dropout = 0.2);
