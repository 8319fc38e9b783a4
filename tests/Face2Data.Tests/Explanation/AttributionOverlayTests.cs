using Face2Data.Explanation;
using Face2Data.Schema;
using OpenCvSharp;

namespace Face2Data.Tests.Explanation;

public sealed class AttributionOverlayTests
{
    [Fact]
    public void A_map_of_zeros_leaves_the_face_as_it_is()
    {
        using var crop = new Mat(100, 100, MatType.CV_8UC3, new Scalar(40, 120, 200));

        using var overlay = AttributionOverlay.Render(crop, Map(new float[64]));

        Assert.Equal((256, 256), (overlay.Width, overlay.Height));
        var mean = Cv2.Mean(overlay);
        Assert.Equal((40, 120, 200), ((int)Math.Round(mean.Val0), (int)Math.Round(mean.Val1), (int)Math.Round(mean.Val2)));
    }

    [Fact]
    public void Supporting_regions_turn_red_and_opposing_regions_blue_where_they_are()
    {
        using var crop = new Mat(64, 64, MatType.CV_8UC3, Scalar.All(128));
        var values = new float[64];
        values[0] = 1; // top-left cell
        values[63] = -1; // bottom-right cell

        using var overlay = AttributionOverlay.Render(crop, Map(values));

        var topLeft = overlay.At<Vec3b>(4, 4);
        var bottomRight = overlay.At<Vec3b>(251, 251);
        var middle = overlay.At<Vec3b>(128, 128);
        Assert.True(topLeft.Item2 > topLeft.Item0 + 60, $"top-left {topLeft} is not red");
        Assert.True(bottomRight.Item0 > bottomRight.Item2 + 60, $"bottom-right {bottomRight} is not blue");
        Assert.Equal(new Vec3b(128, 128, 128), middle);
    }

    [Fact]
    public void The_overlay_keeps_the_crop_shape_with_its_longer_side_as_asked()
    {
        using var crop = new Mat(100, 200, MatType.CV_8UC1, Scalar.All(90));

        using var overlay = AttributionOverlay.Render(crop, Map(new float[64]), side: 128);

        Assert.Equal((128, 64, 3), (overlay.Width, overlay.Height, overlay.Channels()));
    }

    [Fact]
    public void Png_bytes_decode_to_the_rendered_overlay()
    {
        using var crop = new Mat(80, 80, MatType.CV_8UC3, new Scalar(10, 20, 30));
        var values = Enumerable.Range(0, 64).Select(i => (float)Math.Sin(i)).ToArray();

        var png = AttributionOverlay.ToPng(crop, Map(values));

        using var decoded = Cv2.ImDecode(png, ImreadModes.Color);
        using var rendered = AttributionOverlay.Render(crop, Map(values));
        Assert.Equal(0, Cv2.Norm(decoded, rendered, NormTypes.INF));
    }

    [Fact]
    public void A_map_whose_values_do_not_fill_its_grid_is_refused()
    {
        using var crop = new Mat(8, 8, MatType.CV_8UC3, Scalar.All(0));

        Assert.Throws<ArgumentException>(() => AttributionOverlay.Render(crop, Map(new float[10])));
    }

    private static AttributionMap Map(float[] values) => new()
    {
        Head = "gender",
        Kind = HeadKind.Categorical,
        Class = "female",
        Method = AttributionMethod.Occlusion,
        Baseline = AttributionBaseline.Blur,
        Grid = 8,
        Values = values,
        Output = 0.9,
        BaselineOutput = 0.4,
        Evaluations = 51,
        InputSize = 64,
    };
}
