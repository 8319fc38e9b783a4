using Face2Data.Schema;

namespace Face2Data.Reporting.Evaluation;

/// <summary>
/// Each head's accuracy (categorical) or mean absolute error (regression) within groups of samples, such as race ×
/// gender or age bins, and each head's gap between its best and worst group: how evenly the model serves people.
/// </summary>
/// <param name="Grouping">What the groups are, such as <c>race × gender</c>.</param>
/// <param name="Heads">The columns: each evaluated head, in schema order.</param>
/// <param name="Metrics">Per column, <c>accuracy</c> or <c>mae</c>.</param>
/// <param name="Rows">The non-empty groups, in class or bin order.</param>
/// <param name="Gaps">Per column, the best and worst group.</param>
public sealed record FairnessTable(string Grouping, IReadOnlyList<string> Heads, IReadOnlyList<string> Metrics, IReadOnlyList<FairnessRow> Rows, IReadOnlyList<FairnessGap> Gaps)
{
    /// <summary>Metric name of categorical heads.</summary>
    public const string AccuracyMetric = "accuracy";

    /// <summary>Metric name of regression heads.</summary>
    public const string MaeMetric = "mae";

    /// <summary>
    /// The tables for a prediction set, grouping samples by their true labels: by <c>race × gender</c> when the
    /// schema has categorical heads of those names, otherwise by each categorical head on its own; and by
    /// <see cref="ValueBins.Age"/> when it has a regression head <c>age</c>. Samples whose group label is unknown
    /// are left out of that table. Then one table per column of <paramref name="groups"/> (a CSV's columns that are
    /// no head, such as London's <c>ethnicity</c>): crossed with the true gender when the schema has a categorical
    /// head <c>gender</c>, such as <c>ethnicity × gender</c>. A photo without a face found counts as wrong in
    /// accuracies and is left out of errors.
    /// </summary>
    /// <param name="predictions">Outputs and truth.</param>
    /// <param name="groups">Extra group labels of the samples, one value per sample (empty when unknown); none when null.</param>
    public static IReadOnlyList<FairnessTable> For(PredictionSet predictions, IReadOnlyList<GroupColumn>? groups = null)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var schema = predictions.Schema;
        var tables = new List<FairnessTable>();
        var race = CategoricalIndex(schema, "race");
        var gender = CategoricalIndex(schema, "gender");
        if (race >= 0 && gender >= 0)
        {
            var genders = schema.Heads[gender].Classes;
            var labels = schema.Heads[race].Classes.SelectMany(r => genders.Select(g => $"{r} · {g}")).ToArray();
            tables.Add(Build("race × gender", labels, predictions, s =>
            {
                var r = predictions.Truth(race, s);
                var g = predictions.Truth(gender, s);
                return float.IsNaN(r) || float.IsNaN(g) ? -1 : ((int)r * genders.Count) + (int)g;
            }));
        }
        else
        {
            for (var h = 0; h < schema.Heads.Count; h++)
            {
                if (schema.Heads[h].Kind == HeadKind.Categorical)
                {
                    var head = h;
                    tables.Add(Build(schema.Heads[h].Name, schema.Heads[h].Classes, predictions, s => ClassOf(predictions.Truth(head, s))));
                }
            }
        }

        var age = schema.IndexOf("age");
        if (age >= 0 && schema.Heads[age].Kind == HeadKind.Regression)
        {
            tables.Add(Build("age", ValueBins.Age.Labels, predictions, s =>
            {
                var value = predictions.Truth(age, s);
                return float.IsNaN(value) ? -1 : ValueBins.Age.IndexOf(value);
            }));
        }

        foreach (var column in groups ?? [])
        {
            tables.Add(ForColumn(predictions, column, gender));
        }

        return tables;
    }

    private static FairnessTable ForColumn(PredictionSet predictions, GroupColumn column, int gender)
    {
        if (column.Values.Count != predictions.Count)
        {
            throw new ArgumentException($"Group column '{column.Name}' has {column.Values.Count} values for {predictions.Count} samples.", nameof(column));
        }

        var values = column.Values.Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = values.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i, StringComparer.Ordinal);
        int ValueOf(int s) => column.Values[s].Length == 0 ? -1 : index[column.Values[s]];
        if (gender < 0)
        {
            return Build(column.Name, values, predictions, ValueOf);
        }

        var genders = predictions.Schema.Heads[gender].Classes;
        var labels = values.SelectMany(v => genders.Select(g => $"{v} · {g}")).ToArray();
        return Build($"{column.Name} × gender", labels, predictions, s =>
        {
            var v = ValueOf(s);
            var g = predictions.Truth(gender, s);
            return v < 0 || float.IsNaN(g) ? -1 : (v * genders.Count) + (int)g;
        });
    }

    private static FairnessTable Build(string grouping, IReadOnlyList<string> groups, PredictionSet predictions, Func<int, int> groupOf)
    {
        var heads = predictions.Schema.Heads;
        var members = new List<int>[groups.Count];
        for (var g = 0; g < groups.Count; g++)
        {
            members[g] = [];
        }

        for (var s = 0; s < predictions.Count; s++)
        {
            var group = groupOf(s);
            if (group >= 0)
            {
                members[group].Add(s);
            }
        }

        var rows = Enumerable.Range(0, groups.Count)
            .Where(g => members[g].Count > 0)
            .Select(g => new FairnessRow(groups[g], members[g].Count, heads.Select((_, h) => Metric(predictions, h, members[g])).ToArray()))
            .ToArray();
        var metrics = heads.Select(h => h.Kind == HeadKind.Categorical ? AccuracyMetric : MaeMetric).ToArray();
        var gaps = heads.Select((head, h) => Gap(head.Name, metrics[h], rows, h)).ToArray();
        return new FairnessTable(grouping, heads.Select(h => h.Name).ToArray(), metrics, rows, gaps);
    }

    // Accuracy or MAE of one head over the group's samples whose truth is known (no face found: wrong, or left out of MAE).
    private static double Metric(PredictionSet predictions, int head, List<int> samples)
    {
        var categorical = predictions.Schema.Heads[head].Kind == HeadKind.Categorical;
        double sum = 0;
        var known = 0;
        foreach (var s in samples)
        {
            var truth = predictions.Truth(head, s);
            if (float.IsNaN(truth) || (!categorical && !predictions.HasFace(s)))
            {
                continue;
            }

            known++;
            sum += categorical
                ? predictions.PredictedClass(head, s) == (int)truth ? 1 : 0
                : Math.Abs((double)predictions.PredictedValue(head, s) - truth);
        }

        return known == 0 ? double.NaN : sum / known;
    }

    private static FairnessGap Gap(string head, string metric, FairnessRow[] rows, int column)
    {
        var valued = rows.Where(r => !double.IsNaN(r.Values[column])).ToArray();
        if (valued.Length == 0)
        {
            return new FairnessGap(head, metric, "", double.NaN, "", double.NaN, double.NaN);
        }

        // Higher accuracy is better, lower error is better; the first group wins ties.
        var sign = metric == AccuracyMetric ? 1 : -1;
        var best = valued.Aggregate((a, b) => sign * b.Values[column] > sign * a.Values[column] ? b : a);
        var worst = valued.Aggregate((a, b) => sign * b.Values[column] < sign * a.Values[column] ? b : a);
        return new FairnessGap(head, metric, best.Group, best.Values[column], worst.Group, worst.Values[column], Math.Abs(best.Values[column] - worst.Values[column]));
    }

    private static int CategoricalIndex(AttributeSchema schema, string name)
    {
        var index = schema.IndexOf(name);
        return index >= 0 && schema.Heads[index].Kind == HeadKind.Categorical ? index : -1;
    }

    private static int ClassOf(float label) => float.IsNaN(label) ? -1 : (int)label;
}
