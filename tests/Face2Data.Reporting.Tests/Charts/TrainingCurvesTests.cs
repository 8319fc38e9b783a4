using Face2Data.Reporting.Charts;

namespace Face2Data.Reporting.Tests.Charts;

public sealed class TrainingCurvesTests
{
    // The columns TrainingHistory.ToCsv writes for a regression head "age" and a categorical head "image_quality".
    private const string History =
        "epoch,size,lr,train_loss,val_loss,seconds,images_per_second," +
        "train_age_loss,train_age_mae,train_age_rmse,train_age_r2,train_image_quality_loss,train_image_quality_accuracy," +
        "val_age_loss,val_age_mae,val_age_rmse,val_age_r2,val_image_quality_loss,val_image_quality_accuracy\n" +
        "1,64,0.001,2.5,2.25,10,100,1.5,12,15,0.1,1,0.5,1.4,11,14,0.2,0.9,0.55\n" +
        "2,64,0.001,2,2.1,10,100,1.2,10,13,0.3,0.8,0.6,1.3,10.5,13.5,0.25,0.85,0.6\n" +
        "3,96,0.0005,1.5,1.9,20,50,1,8,11,0.5,0.5,0.7,1.2,9.5,12.5,NaN,0.7,0.65\n";

    [Fact]
    public void Read_pairs_train_and_validation_columns_per_head_and_metric()
    {
        using var folder = new TempDirectory();
        var path = folder.WriteText("history.csv", History);

        var curves = TrainingCurves.Read(path);

        Assert.Equal(
            ["loss", "age loss", "age MAE", "age RMSE", "age R²", "image_quality loss", "image_quality accuracy"],
            curves.Select(c => c.Title));
        Assert.Equal([1.0, 2, 3], curves[0].Epochs);
        Assert.Equal([2.5, 2, 1.5], curves[0].Train);
        Assert.Equal([2.25, 2.1, 1.9], curves[0].Validation);
        Assert.Equal(("image_quality", "accuracy"), (curves[6].Head, curves[6].Metric));
        Assert.Equal([0.55, 0.6, 0.65], curves[6].Validation);
        Assert.True(double.IsNaN(curves[4].Validation[2]));
    }

    [Fact]
    public void Write_draws_one_chart_per_curve()
    {
        using var folder = new TempDirectory();
        var path = folder.WriteText("history.csv", History);

        var charts = TrainingCurves.Write(path, Path.Combine(folder.Path, "curves"));

        Assert.Equal(
            ["curve_loss.png", "curve_age_loss.png", "curve_age_mae.png", "curve_age_rmse.png", "curve_age_r2.png", "curve_image_quality_loss.png", "curve_image_quality_accuracy.png"],
            charts.Select(c => c.File));
        foreach (var chart in charts)
        {
            PngAssert.IsChart(Path.Combine(folder.Path, "curves", chart.File), TrainingCurves.Width, TrainingCurves.Height);
        }
    }

    [Fact]
    public void Read_rejects_a_history_without_epochs()
    {
        using var folder = new TempDirectory();
        var path = folder.WriteText("history.csv", "epoch\n");

        var error = Assert.Throws<InvalidDataException>(() => TrainingCurves.Read(path));

        Assert.Equal($"Training history '{path}' has no epochs yet.", error.Message);
    }

    [Fact]
    public void Read_rejects_a_row_that_is_not_numbers()
    {
        using var folder = new TempDirectory();
        var path = folder.WriteText("history.csv", "epoch,train_loss\n1,abc\n");

        var error = Assert.Throws<InvalidDataException>(() => TrainingCurves.Read(path));

        Assert.Equal($"Line 2 of '{path}' has 'abc' in column 'train_loss', which is not a number.", error.Message);
    }
}
