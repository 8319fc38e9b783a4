namespace Face2Data.Reporting.Charts;

/// <summary>A chart written beside a report.</summary>
/// <param name="Title">What it shows.</param>
/// <param name="File">Its file name, relative to the report's folder.</param>
/// <param name="Head">The head it belongs to; empty for a chart of the whole model.</param>
public readonly record struct ReportChart(string Title, string File, string Head = "");
