namespace Face2Data.Training.Tests;

/// <summary>
/// Tests whose results depend on torch's process-wide random generator (the <c>Trainer</c> seeds it and draws from
/// it for initialisation, shuffling and augmentation). They run alone, not beside other test classes, so that no
/// other test's seeding or draws interleave with theirs and equal seeds give equal runs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchRandomCollection
{
    public const string Name = "torch process-wide random generator";
}
