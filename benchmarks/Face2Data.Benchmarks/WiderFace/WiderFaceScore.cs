namespace Face2Data.Benchmarks.WiderFace;

/// <summary>
/// Recall per size bucket, precision and average precision of a detector over WIDER-format photos, at IoU 0.5.
/// Each image's detections, highest score first, take the unmatched ground-truth box they overlap most (IoU ≥ 0.5).
/// A detection that takes a valid face is a true positive, one that takes an invalid face is ignored, and one that
/// takes nothing is a false positive. Average precision is over valid faces of at least <see cref="ApMinSide"/>
/// pixels: detections that take smaller or invalid faces are ignored there (as the official evaluation ignores
/// faces outside the subset), and the curve is the all-point interpolated PR curve.
/// </summary>
internal sealed class WiderFaceScore
{
    /// <summary>Smallest longer side of the faces the average precision counts.</summary>
    public const int ApMinSide = 32;

    private readonly List<(float Score, bool Positive)> _apDetections = [];
    private int _valid64, _found64, _valid32, _found32, _truePositives, _falsePositives;

    /// <summary>Scores one image's detections against its faces.</summary>
    public void Add(IReadOnlyList<WiderFaceBox> faces, IReadOnlyList<(Face2Data.Detection.FaceBox Box, float Score)> detections)
    {
        var taken = new bool[faces.Count];
        foreach (var (box, score) in detections.OrderByDescending(d => d.Score))
        {
            var best = -1;
            var bestIou = 0.5;
            for (var f = 0; f < faces.Count; f++)
            {
                var iou = taken[f] ? 0 : box.IntersectionOverUnion(faces[f].Box);
                if (iou >= bestIou)
                {
                    (best, bestIou) = (f, iou);
                }
            }

            if (best < 0)
            {
                _falsePositives++;
                _apDetections.Add((score, false));
                continue;
            }

            taken[best] = true;
            if (!faces[best].Invalid)
            {
                _truePositives++;
                if (faces[best].Side >= ApMinSide)
                {
                    _apDetections.Add((score, true));
                }
            }
        }

        for (var f = 0; f < faces.Count; f++)
        {
            if (faces[f].Invalid)
            {
                continue;
            }

            (_valid32, _found32) = faces[f].Side >= 32 ? (_valid32 + 1, _found32 + (taken[f] ? 1 : 0)) : (_valid32, _found32);
            (_valid64, _found64) = faces[f].Side >= 64 ? (_valid64 + 1, _found64 + (taken[f] ? 1 : 0)) : (_valid64, _found64);
        }
    }

    /// <summary>Share of valid faces of at least 64 px that a detection took.</summary>
    public double Recall64 => _found64 / (double)Math.Max(1, _valid64);

    /// <summary>Share of valid faces of at least 32 px that a detection took.</summary>
    public double Recall32 => _found32 / (double)Math.Max(1, _valid32);

    /// <summary>True positives over true and false positives.</summary>
    public double Precision => _truePositives / (double)Math.Max(1, _truePositives + _falsePositives);

    /// <summary>Valid faces of at least 32 and 64 px.</summary>
    public (int Valid32, int Valid64) FaceCounts => (_valid32, _valid64);

    /// <summary>Average precision over valid faces of at least <see cref="ApMinSide"/> px.</summary>
    public double AveragePrecision()
    {
        var ordered = _apDetections.OrderByDescending(d => d.Score).ToList();
        var recalls = new List<double>();
        var precisions = new List<double>();
        var (tp, fp) = (0, 0);
        foreach (var (_, positive) in ordered)
        {
            (tp, fp) = positive ? (tp + 1, fp) : (tp, fp + 1);
            recalls.Add(tp / (double)Math.Max(1, _valid32));
            precisions.Add(tp / (double)(tp + fp));
        }

        // All-point interpolation: precision at recall r is the best precision at any recall ≥ r.
        for (var i = precisions.Count - 2; i >= 0; i--)
        {
            precisions[i] = Math.Max(precisions[i], precisions[i + 1]);
        }

        double area = 0, previous = 0;
        for (var i = 0; i < recalls.Count; i++)
        {
            area += (recalls[i] - previous) * precisions[i];
            previous = recalls[i];
        }

        return area;
    }
}
