using Face2Data.Reporting.Evaluation;
using Face2Data.Schema;

namespace Face2Data.Reporting.Tests.Evaluation;

/// <summary>Small prediction sets with known answers.</summary>
internal static class TestPredictions
{
    public static AttributeSchema AgeGenderRace => TestSchemas.AgeGenderRace;

    /// <summary>
    /// Six samples (race, gender, age → predicted race, gender, age):
    /// 0: a m 25 → a m 27; 1: a m 35 → b m 30; 2: a f 15 → a f 15; 3: b f 65 → b m 55; 4: b f 22 → b f 25;
    /// 5: ? m 5 → a m 9 (race unknown).
    /// </summary>
    public static PredictionSet SixPeople()
    {
        float[] age = [25, 35, 15, 65, 22, 5];
        float[] gender = [0, 0, 1, 1, 1, 0];
        float[] race = [0, 0, 0, 1, 1, float.NaN];
        float[] predictedAge = [27, 30, 15, 55, 25, 9];
        int[] predictedGender = [0, 0, 1, 0, 1, 0];
        int[] predictedRace = [0, 1, 0, 1, 1, 0];
        return new PredictionSet(
            AgeGenderRace,
            Enumerable.Range(0, 6).ToArray(),
            Enumerable.Range(0, 6).Select(i => $"person{i}.jpg").ToArray(),
            [age, gender, race],
            [predictedAge, OneHot(predictedGender, 2, 0.75f), OneHot(predictedRace, 2, 0.75f)]);
    }

    /// <summary>
    /// <see cref="SixPeople"/> as photos in which no face was found in sample 4 (b f 22; its outputs, which would be
    /// right, are ignored).
    /// </summary>
    public static PredictionSet SixPhotos()
    {
        var people = SixPeople();
        return new PredictionSet(
            people.Schema,
            people.Indices,
            people.Ids,
            Enumerable.Range(0, 3).Select(h => people.TruthOf(h).ToArray()).ToArray(),
            Enumerable.Range(0, 3).Select(h => people.OutputsOf(h).ToArray()).ToArray(),
            [true, true, true, true, false, true]);
    }

    /// <summary>Row-major probabilities giving each predicted class <paramref name="top"/> and sharing the rest.</summary>
    public static float[] OneHot(int[] classes, int classCount, float top)
    {
        var rest = (1 - top) / (classCount - 1);
        var probabilities = new float[classes.Length * classCount];
        for (var i = 0; i < classes.Length; i++)
        {
            for (var c = 0; c < classCount; c++)
            {
                probabilities[(i * classCount) + c] = c == classes[i] ? top : rest;
            }
        }

        return probabilities;
    }
}
