namespace Face2Data.Detection;

/// <summary>Greedy non-maximum suppression of scored boxes, shared by the network detectors.</summary>
internal static class NonMaxSuppression
{
    /// <summary>Best first, dropping boxes whose IoU with a kept one exceeds <paramref name="iouThreshold"/>.</summary>
    public static List<ScoredBox> Suppress(IEnumerable<ScoredBox> boxes, float iouThreshold)
    {
        var kept = new List<ScoredBox>();
        foreach (var box in boxes.OrderByDescending(b => b.Score))
        {
            if (kept.All(k => k.IntersectionOverUnion(box) <= iouThreshold))
            {
                kept.Add(box);
            }
        }

        return kept;
    }
}
