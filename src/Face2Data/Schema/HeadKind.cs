namespace Face2Data.Schema;

/// <summary>What a head predicts.</summary>
public enum HeadKind
{
    /// <summary>A number, such as age in years.</summary>
    Regression,

    /// <summary>One label out of a fixed list of classes, such as gender.</summary>
    Categorical,
}
