using NPlug.Buffers.Dsp;

namespace NPlug.Buffers.Tests.Dsp;

public class DenormalsTests
{
    [Fact]
    public void Flush_ZeroesEverythingBelowTheThreshold_IncludingEverySubnormal()
    {
        Assert.Equal(0f, Denormals.Flush(float.Epsilon));
        Assert.Equal(0f, Denormals.Flush(-1e-38f));
        Assert.Equal(0f, Denormals.Flush(9e-16f));
        Assert.Equal(2e-15f, Denormals.Flush(2e-15f));
        Assert.Equal(-0.5f, Denormals.Flush(-0.5f));
        Assert.Equal(0.0, Denormals.Flush(double.Epsilon));
        Assert.Equal(0.0, Denormals.Flush(5e-31));
        Assert.Equal(2e-30, Denormals.Flush(2e-30));
        Assert.True(Denormals.StateThreshold<float>() > float.CreateTruncating(1.2e-38)); // above the smallest normal
        Assert.True(Denormals.StateThreshold<double>() > 2.3e-308);

        float[] state = [1e-20f, float.Epsilon, 0.25f, -3e-16f, 1f];
        Denormals.Flush<float>(state);
        Assert.Equal(new[] { 0f, 0f, 0.25f, 0f, 1f }, state);
    }

    [Fact]
    public void Classification()
    {
        Assert.True(Denormals.IsSubnormal(float.Epsilon));
        Assert.False(Denormals.IsSubnormal(0f));
        Assert.False(Denormals.IsSubnormal(1e-30f));
        Assert.True(Denormals.IsFinite(1e30));
        Assert.False(Denormals.IsFinite(double.NaN));
        Assert.False(Denormals.IsFinite(double.NegativeInfinity));
        Assert.True(Denormals.AllFinite<double>([0.0, -1.0, 1e300]));
        Assert.False(Denormals.AllFinite<double>([0.0, double.PositiveInfinity, 1.0]));
        Assert.True(Denormals.AllFinite<double>([]));
    }
}
