namespace Face2Data.Imaging;

/// <summary>How an image is resized to a model's input size. Training and inference must use the same one.</summary>
public enum ResizeMethod
{
    /// <summary>Pixel-area averaging (OpenCV INTER_AREA): the right choice when shrinking.</summary>
    Area,

    /// <summary>Bilinear interpolation (OpenCV INTER_LINEAR).</summary>
    Linear,

    /// <summary>Bicubic interpolation (OpenCV INTER_CUBIC).</summary>
    Cubic,
}
