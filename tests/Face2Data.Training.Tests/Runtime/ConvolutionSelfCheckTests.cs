using Face2Data.Training.Runtime;

namespace Face2Data.Training.Tests.Runtime;

public class ConvolutionSelfCheckTests
{
    [Fact]
    public void After_the_guard_the_convolutions_training_uses_match_the_float64_reference()
    {
        var result = ConvolutionSelfCheck.Run();

        // float32 against float64 on outputs of a few units: about 1e-7 relative; the faulty kernels gave 0.05 to 0.5.
        Assert.True(result.WorstError < 1e-5, result.ToString());
        Assert.True(result.Passed);
    }
}
