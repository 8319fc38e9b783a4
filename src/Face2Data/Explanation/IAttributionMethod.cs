namespace Face2Data.Explanation;

/// <summary>Computes how much each cell of a grid over the input pushed a model's output.</summary>
public interface IAttributionMethod
{
    /// <summary>Which method this is.</summary>
    AttributionMethod Method { get; }

    /// <summary>Cells per side of the grid the attributions are given on.</summary>
    int Grid { get; }

    /// <summary>Explains <paramref name="output"/>; cancellation is checked between model batches.</summary>
    /// <exception cref="ArgumentException">The grid does not fit the output's input size.</exception>
    Attribution Explain(IMaskedOutput output, CancellationToken cancellationToken = default);
}
