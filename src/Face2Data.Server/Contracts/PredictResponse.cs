namespace Face2Data.Server.Contracts;

/// <summary>
/// The answer of the original Face2Data's <c>POST /predict</c>: the age in whole years and the gender and race
/// labels, for the image's largest face; this version adds every class's probability.
/// </summary>
/// <param name="Age">Age in whole years, when the model has an <c>age</c> head.</param>
/// <param name="Race">Race label, when the model has a <c>race</c> head.</param>
/// <param name="Gender">Gender label, when the model has a <c>gender</c> head.</param>
/// <param name="Probabilities">Each categorical head's class probabilities, by head name.</param>
public sealed record PredictResponse(int? Age, string? Race, string? Gender, IReadOnlyDictionary<string, IReadOnlyDictionary<string, float>> Probabilities);
