using Face2Data.Server.Contracts;
using Microsoft.Extensions.Options;

namespace Face2Data.Server;

/// <summary>
/// The label distributions of the dataset named by <see cref="ServerOptions.DatasetPath"/>, read once on first use
/// by the host's <see cref="IDatasetDescriber"/>.
/// </summary>
internal sealed class DatasetStatistics
{
    private readonly Lazy<DatasetResponse?> _statistics;

    /// <summary>Creates the service; nothing is read until <see cref="Get"/>.</summary>
    public DatasetStatistics(IOptions<ServerOptions> options, IEnumerable<IDatasetDescriber> describers)
    {
        var path = options.Value.DatasetPath;
        var describer = describers.LastOrDefault();
        HasDescriber = describer is not null;
        _statistics = new Lazy<DatasetResponse?>(
            () => string.IsNullOrWhiteSpace(path) || describer is null ? null : describer.Describe(path),
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Whether the host can read datasets at all.</summary>
    public bool HasDescriber { get; }

    /// <summary>The distributions, or null when no dataset is configured or no describer is registered.</summary>
    /// <exception cref="IOException">The dataset cannot be read.</exception>
    /// <exception cref="InvalidDataException">The dataset is malformed.</exception>
    public DatasetResponse? Get() => _statistics.Value;
}
