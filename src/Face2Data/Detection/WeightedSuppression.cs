namespace Face2Data.Detection;

/// <summary>A candidate of an anchor-based detector: its box (any pixels) and extra points, such as BlazeFace's keypoints.</summary>
/// <param name="Box">The box and its score.</param>
/// <param name="Points">The points, in the box's pixels.</param>
public readonly record struct KeypointBox(ScoredBox Box, FacePoint[] Points);

/// <summary>
/// MediaPipe's weighted non-maximum suppression ("blending"): the best remaining candidate takes every remaining one
/// overlapping it by more than the IoU threshold (itself included) and becomes their score-weighted average — box
/// corners and points — with its own score.
/// </summary>
public static class WeightedSuppression
{
    /// <summary>The blended candidates, best first.</summary>
    public static List<KeypointBox> Blend(IEnumerable<KeypointBox> candidates, float iouThreshold)
    {
        var remaining = candidates.OrderByDescending(c => c.Box.Score).ToList();
        var kept = new List<KeypointBox>();
        while (remaining.Count > 0)
        {
            var top = remaining[0];
            var overlapping = new List<KeypointBox>();
            var rest = new List<KeypointBox>(remaining.Count);
            foreach (var candidate in remaining)
            {
                (candidate.Box.IntersectionOverUnion(top.Box) > iouThreshold || ReferenceEquals(candidate.Points, top.Points) ? overlapping : rest).Add(candidate);
            }

            kept.Add(overlapping.Count == 1 ? top : Average(overlapping, top.Box.Score));
            remaining = rest;
        }

        return kept;
    }

    private static KeypointBox Average(List<KeypointBox> group, float score)
    {
        double total = 0, left = 0, top = 0, right = 0, bottom = 0;
        var points = new double[group[0].Points.Length * 2];
        foreach (var (box, pts) in group)
        {
            var w = (double)box.Score;
            total += w;
            left += w * box.X;
            top += w * box.Y;
            right += w * (box.X + box.Width);
            bottom += w * (box.Y + box.Height);
            for (var i = 0; i < Math.Min(pts.Length, points.Length / 2); i++)
            {
                points[2 * i] += w * pts[i].X;
                points[(2 * i) + 1] += w * pts[i].Y;
            }
        }

        var blended = new FacePoint[points.Length / 2];
        for (var i = 0; i < blended.Length; i++)
        {
            blended[i] = new FacePoint((float)(points[2 * i] / total), (float)(points[(2 * i) + 1] / total));
        }

        return new KeypointBox(
            new ScoredBox((float)(left / total), (float)(top / total), (float)((right - left) / total), (float)((bottom - top) / total), score),
            blended);
    }
}
