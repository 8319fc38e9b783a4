namespace Face2Data.Detection;

/// <summary>Whether faces are searched for before the model runs.</summary>
public enum DetectionMode
{
    /// <summary>Detect faces; when none is found in a small near-square image, treat the whole image as one face crop.</summary>
    Auto,

    /// <summary>Detect faces; report none when none is found.</summary>
    Always,

    /// <summary>Treat the whole image as one face crop (like UTKFace's aligned crops).</summary>
    Never,
}
