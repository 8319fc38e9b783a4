using Face2Data.Datasets;
using Face2Data.Schema;

namespace Face2Data.Datasets.Tests;

public sealed class CsvAttributeDatasetTests
{
    private static readonly string[] FairFaceAgeBins = ["0-2", "3-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69", "more than 70"];

    [Fact]
    public void Open_makes_numeric_columns_regression_heads_and_others_categorical()
    {
        using var folder = new TempDirectory();
        folder.Write("img/a.jpg", [1, 2, 3]);
        folder.Write("img/b,c.jpg", [4]);
        folder.Write("img/d.jpg", [5, 6]);
        var csv = folder.WriteText("labels.csv",
            "Image,age,smile,\"eye colour\"\r\n" +
            "img/a.jpg,31.5,yes,blue\r\n" +
            "\"img/b,c.jpg\",4,no,\"green \"\"light\"\"\"\r\n" +
            "\r\n" +
            "img/d.jpg, 70 ,yes,blue\r\n");

        var dataset = CsvAttributeDataset.Open(csv);

        Assert.Equal("Image", dataset.PathColumn);
        Assert.Equal(["img/a.jpg", "img/b,c.jpg", "img/d.jpg"], dataset.Samples.Select(s => s.Id));
        var heads = dataset.Schema.Heads;
        Assert.Equal(["age", "smile", "eye colour"], heads.Select(h => h.Name));
        Assert.Equal(HeadKind.Regression, heads[0].Kind);
        Assert.Equal((4f, 70f), (heads[0].Min, heads[0].Max));
        Assert.Equal(["no", "yes"], heads[1].Classes);
        Assert.Equal(["blue", "green \"light\""], heads[2].Classes);
        Assert.Equal(new float[] { 31.5f, 1, 0 }, dataset.Samples[0].Labels);
        Assert.Equal(new float[] { 4, 0, 1 }, dataset.Samples[1].Labels);
        Assert.Equal(new float[] { 70, 1, 0 }, dataset.Samples[2].Labels);
        Assert.Equal(csv, dataset.Source);
        Assert.Equal(
            new[] { new byte[] { 1, 2, 3 }, [4], [5, 6] },
            dataset.ReadImages().Select(i => i.Bytes));
    }

    [Fact]
    public void Open_loads_FairFace_labels_unchanged_with_age_bins_in_natural_order()
    {
        using var folder = new TempDirectory();
        var races = new[] { "East Asian", "White", "Latino_Hispanic", "Black", "Indian", "Middle Eastern", "Southeast Asian" };
        var rows = new List<string> { "file,age,gender,race,service_test" };
        var order = new[] { 6, 2, 8, 0, 4, 1, 7, 3, 5 }; // bins listed out of order
        for (var i = 0; i < order.Length; i++)
        {
            folder.Write($"train/{i + 1}.jpg", [(byte)i]);
            rows.Add($"train/{i + 1}.jpg,{FairFaceAgeBins[order[i]]},{(i % 2 == 0 ? "Male" : "Female")},{races[i % races.Length]},{i % 3 == 0}");
        }

        var csv = folder.WriteText("fairface_label_train.csv", string.Join("\n", rows) + "\n");

        var dataset = CsvAttributeDataset.Open(csv, new CsvAttributeDatasetOptions { IgnoreColumns = ["service_test"] });

        Assert.Equal(["age", "gender", "race"], dataset.Schema.Heads.Select(h => h.Name));
        Assert.All(dataset.Schema.Heads, h => Assert.Equal(HeadKind.Categorical, h.Kind));
        Assert.Equal(FairFaceAgeBins, dataset.Schema["age"].Classes);
        Assert.Equal(["Female", "Male"], dataset.Schema["gender"].Classes);
        Assert.Equal(races.Order(StringComparer.Ordinal), dataset.Schema["race"].Classes);
        Assert.Equal(order.Select(o => (float)o), dataset.Samples.Select(s => s.Labels[0]));
        Assert.Equal("train/1.jpg", dataset.Samples[0].Id);

        var withServiceTest = CsvAttributeDataset.Open(csv);
        Assert.Equal(["False", "True"], withServiceTest.Schema["service_test"].Classes);
        Assert.NotEqual(dataset.Fingerprint, withServiceTest.Fingerprint);
    }

    [Fact]
    public void Open_follows_a_given_schema_for_order_kinds_and_columns()
    {
        using var folder = new TempDirectory();
        folder.Write("1.jpg", [1]);
        folder.Write("2.jpg", [2]);
        var csv = folder.WriteText("labels.csv", "photo,gender,age,notes\n1.jpg,female,30,x\n2.jpg,male,2,y\n");
        var schema = new AttributeSchema([AttributeHead.Regression("age", 0, 116), AttributeHead.Categorical("gender", ["male", "female"])]);

        var dataset = CsvAttributeDataset.Open(csv, new CsvAttributeDatasetOptions { PathColumn = "photo", Schema = schema });

        Assert.Same(schema, dataset.Schema);
        Assert.Equal(new float[] { 30, 1 }, dataset.Samples[0].Labels);
        Assert.Equal(new float[] { 2, 0 }, dataset.Samples[1].Labels);
    }

    [Theory]
    [InlineData("file,age,gender\na.jpg,20,male\nmissing.jpg,30,female\n", 3, "image file 'missing.jpg' does not exist")]
    [InlineData("file,age,gender\na.jpg,20,male\na.jpg,30,female\n", 3, "image 'a.jpg' is listed twice")]
    [InlineData("file,age,gender\na.jpg,20,male\n\nb.jpg,30\n", 4, "expected 3 fields like the header, found 2")]
    [InlineData("file,age,gender\na.jpg,20,male\nb.jpg,30,female,extra\n", 3, "expected 3 fields like the header, found 4")]
    [InlineData("file,age,gender\na.jpg,20,male\nb.jpg,,female\n", 3, "empty value in column 'age'")]
    [InlineData("file,age,gender\na.jpg,20,male\nb.jpg,30,unknown\n", 3, "unknown label 'unknown' in column 'gender'; expected one of male, female")]
    [InlineData("file,age,gender\na.jpg,20,male\nb.jpg,thirty,female\n", 3, "'thirty' in regression column 'age' is not a number")]
    [InlineData("file,age,gender\na.jpg,20,male\nb.jpg,130,female\n", 3, "130 in column 'age' is outside [0, 116]")]
    [InlineData("file,age,gender,notes\na.jpg,20,male,\"two\nlines\"\nb.jpg,30,robot,x\n", 4, "unknown label 'robot'")]
    [InlineData("file,age,gender\na.jpg,20,male\nb.jpg,30,\"female\n", 3, "a quoted field is never closed")]
    [InlineData("file,age,gender\na.jpg,20,male\nb.jpg,30,fe\"male\n", 3, "a double quote inside an unquoted field")]
    [InlineData("name,age,gender\na.jpg,20,male\n", 1, "the header has no image-path column")]
    [InlineData("file,age,gender\n", 1, "the file has a header but no data rows")]
    [InlineData("file,age,sex\na.jpg,20,male\n", 1, "the header has no column for schema head 'gender'")]
    [InlineData("file,age,age,gender\na.jpg,20,20,male\n", 1, "the header names column 'age' twice")]
    public void Open_names_file_and_line_of_a_bad_row(string text, int line, string detail)
    {
        using var folder = new TempDirectory();
        folder.Write("a.jpg", [1]);
        folder.Write("b.jpg", [2]);
        var csv = folder.WriteText("labels.csv", text);
        var schema = new AttributeSchema([AttributeHead.Regression("age", 0, 116), AttributeHead.Categorical("gender", ["male", "female"])]);

        var error = Assert.Throws<DatasetFormatException>(() => CsvAttributeDataset.Open(csv, new CsvAttributeDatasetOptions { Schema = schema }));

        Assert.Equal(csv, error.FilePath);
        Assert.Equal(line, error.Line);
        Assert.StartsWith($"{csv}, line {line}: {detail}", error.Message);
    }

    [Fact]
    public void Open_without_schema_makes_a_column_with_any_non_number_categorical()
    {
        using var folder = new TempDirectory();
        folder.Write("a.jpg", [1]);
        folder.Write("b.jpg", [2]);
        var csv = folder.WriteText("labels.csv", "file,age\na.jpg,30\nb.jpg,thirty\n");

        var dataset = CsvAttributeDataset.Open(csv);

        Assert.Equal(HeadKind.Categorical, dataset.Schema["age"].Kind);
        Assert.Equal(["30", "thirty"], dataset.Schema["age"].Classes);
    }

    [Fact]
    public void Open_without_schema_rejects_a_column_with_a_single_value()
    {
        using var folder = new TempDirectory();
        folder.Write("a.jpg", [1]);
        folder.Write("b.jpg", [2]);
        var csv = folder.WriteText("labels.csv", "file,mood,age\na.jpg,happy,3\nb.jpg,happy,3\n");

        var error = Assert.Throws<DatasetFormatException>(() => CsvAttributeDataset.Open(csv));

        Assert.Equal(1, error.Line);
        Assert.Contains("column 'mood' has the single value 'happy'", error.Message);
        var noHeads = Assert.Throws<DatasetFormatException>(() =>
            CsvAttributeDataset.Open(csv, new CsvAttributeDatasetOptions { IgnoreColumns = ["mood", "age"] }));
        Assert.Contains("the header has no attribute columns besides the image path", noHeads.Message);
    }

    [Fact]
    public void Open_rejects_an_ignored_column_that_is_not_in_the_header()
    {
        using var folder = new TempDirectory();
        folder.Write("a.jpg", [1]);
        var csv = folder.WriteText("labels.csv", "file,gender\na.jpg,male\n");

        var error = Assert.Throws<DatasetFormatException>(() =>
            CsvAttributeDataset.Open(csv, new CsvAttributeDatasetOptions { IgnoreColumns = ["service_test"] }));

        Assert.Equal(1, error.Line);
        Assert.Contains("the ignored column 'service_test' is not in the header", error.Message);
    }

    [Fact]
    public void Open_without_file_checks_defers_a_missing_image_to_ReadImages()
    {
        using var folder = new TempDirectory();
        folder.Write("a.jpg", [1]);
        var csv = folder.WriteText("labels.csv", "file,gender\na.jpg,male\ngone.jpg,female\n");

        var dataset = CsvAttributeDataset.Open(csv, new CsvAttributeDatasetOptions { CheckFilesExist = false });

        Assert.Equal(2, dataset.Samples.Count);
        using var images = dataset.ReadImages().GetEnumerator();
        Assert.True(images.MoveNext());
        Assert.Equal([1], images.Current.Bytes);
        var error = Assert.Throws<FileNotFoundException>(() => images.MoveNext());
        Assert.Contains("'gone.jpg'", error.Message);
    }

    [Fact]
    public void Open_with_a_schema_and_missing_values_allowed_reads_empty_cells_as_unknown_and_keeps_other_columns()
    {
        using var folder = new TempDirectory();
        folder.Write("a.jpg", [1]);
        folder.Write("b.jpg", [2]);
        var csv = folder.WriteText("labels.csv", "file,age,gender,ethnicity\na.jpg,,female,white\nb.jpg,30,male,\n");
        var schema = new AttributeSchema([AttributeHead.Regression("age", 0, 116), AttributeHead.Categorical("gender", ["male", "female"])]);

        var dataset = CsvAttributeDataset.Open(csv, new CsvAttributeDatasetOptions { Schema = schema, AllowMissingValues = true });

        Assert.True(float.IsNaN(dataset.Samples[0].Labels[0]));
        Assert.Equal(1, dataset.Samples[0].Labels[1]);
        Assert.Equal(new float[] { 30, 0 }, dataset.Samples[1].Labels);
        Assert.Equal(["file", "age", "gender", "ethnicity"], dataset.Columns);
        Assert.Equal(["white", ""], dataset.ColumnValues("ethnicity"));
        Assert.Equal(["file", "age", "gender", "ethnicity"], CsvAttributeDataset.ReadHeader(csv));
        var error = Assert.Throws<DatasetFormatException>(() => CsvAttributeDataset.Open(csv, new CsvAttributeDatasetOptions { Schema = schema }));
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }
}
