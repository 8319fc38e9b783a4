using Face2Data.Schema;

namespace Face2Data.Tests.Schema;

/// <summary><see cref="AttributeSchema.SameOutputsAs"/>: loss settings aside, heads, kinds and classes must match in order.</summary>
public sealed class AttributeSchemaTests
{
    [Fact]
    public void Same_outputs_ignore_loss_settings_but_not_classes_kinds_or_order()
    {
        var utk = AttributeSchema.UtkFace;
        var reweighted = utk.WithLossWeights(new Dictionary<string, float> { ["age"] = 1, ["race"] = 3 }).WithLoss("age", "distribution");

        Assert.False(utk.SameHeadsAs(reweighted));
        Assert.True(utk.SameOutputsAs(reweighted));
        Assert.False(utk.SameOutputsAs(new AttributeSchema([utk.Heads[0], utk.Heads[1], AttributeHead.Categorical("race", ["a", "b", "c", "d", "e"])])));
        Assert.False(utk.SameOutputsAs(new AttributeSchema([utk.Heads[1], utk.Heads[0], utk.Heads[2]])));
        Assert.False(utk.SameOutputsAs(new AttributeSchema([utk.Heads[0], utk.Heads[1]])));
    }
}
