using System.Globalization;
using Face2Data.Inference;

namespace Face2Data.Benchmarks.RealPhotos;

/// <summary>
/// Counts of one run over a labelled set: faces found, right answers per head and group (over all photos, a photo
/// without a face found counting as wrong), age errors (over the faces found), times.
/// </summary>
/// <param name="predictsRace">False for a model without a race head (such as face-api.js's age and gender model): its race shows –.</param>
internal sealed class PhotoTally(bool predictsRace = true)
{
    private readonly List<double> _ms = [];
    private readonly List<double> _ageErrors = [];
    private int _photos;
    private int _found;
    private int _genderRight;
    private int _raceRight;
    private int _raceLabelled;
    private readonly Dictionary<string, (int Right, int Total)> _byGender = new(StringComparer.Ordinal);

    public void Add(LabelledPhoto photo, FaceResult? face, double ms)
    {
        // A photo without a face found counts as a wrong answer for every label it has (as issue 18 counts them).
        _photos++;
        _ms.Add(ms);
        _found += face is null ? 0 : 1;
        var genderRight = face is not null && face.Attributes.TryGetValue("gender", out var gender) && gender.Label == photo.Gender;
        _genderRight += genderRight ? 1 : 0;
        var (right, total) = _byGender.GetValueOrDefault(photo.Gender);
        _byGender[photo.Gender] = (right + (genderRight ? 1 : 0), total + 1);
        if (photo.Race is { } race)
        {
            _raceLabelled++;
            _raceRight += face is not null && face.Attributes.TryGetValue("race", out var predicted) && predicted.Label == race ? 1 : 0;
        }

        if (face is not null && photo.Age is { } age && face.Attributes.TryGetValue("age", out var predictedAge) && predictedAge.Value is { } value)
        {
            _ageErrors.Add(Math.Abs(value - age));
        }
    }

    /// <summary>Photos where a face was analysed, as a fraction of all.</summary>
    public string Found => Fraction(_found, _photos);

    /// <summary>Gender accuracy over all photos (no face found is wrong).</summary>
    public string Gender => Fraction(_genderRight, _photos);

    public string Women => Group("female");

    public string Men => Group("male");

    public string Race => !predictsRace || _raceLabelled == 0 ? "–" : Fraction(_raceRight, _raceLabelled);

    public string AgeMae => _ageErrors.Count == 0 ? "–" : _ageErrors.Average().ToString("F2", CultureInfo.InvariantCulture);

    public double MedianMs => _ms.Count == 0 ? double.NaN : _ms.Order().ElementAt(_ms.Count / 2);

    private string Group(string gender) => _byGender.TryGetValue(gender, out var g) ? Fraction(g.Right, g.Total) : "–";

    private static string Fraction(int part, int whole) => whole == 0 ? "–" : ((double)part / whole).ToString("F3", CultureInfo.InvariantCulture);
}
