using System.Numerics;
using NPlug.Buffers.Dsp;

namespace NPlug.Buffers.Tests.Dsp;

/// <summary>
/// Stages whose numerator equals their denominator (0 dB peaking and shelves) are H(z) = 1 exactly: the cascade skips
/// them, so their output is the input bit for bit, and their history tracks the signal so that turning them into a
/// real filter later starts from the current signal.
/// </summary>
public class IdentityStageTests
{
    private const double Fs = 48_000;

    public static TheoryData<FilterType> ShapingTypes() => new() { FilterType.Peaking, FilterType.LowShelf, FilterType.HighShelf };

    [Theory]
    [MemberData(nameof(ShapingTypes))]
    public void ZeroDbBandsAreIdentityCoefficients(FilterType type)
    {
        foreach (double f in new[] { 20.0, 100, 500, 2000, 8000, 20000 })
        foreach (double q in new[] { 0.1, 0.707, 1, 18 })
            Assert.True(BiquadCascade<float>.IsIdentity(BiquadDesign.Design(type, f, q, 0, Fs)), $"{type} {f} Hz Q {q}");
        Assert.False(BiquadCascade<float>.IsIdentity(BiquadDesign.Design(type, 1000, 1, 0.01, Fs)));
        Assert.False(BiquadCascade<float>.IsIdentity(BiquadDesign.Design(FilterType.AllPass, 1000, 1, 0, Fs)));
    }

    [Fact] public void IdentityStagesPassFloatBitExactly() => IdentityStagesPassBitExactly<float>();

    [Fact] public void IdentityStagesPassDoubleBitExactly() => IdentityStagesPassBitExactly<double>();

    private static void IdentityStagesPassBitExactly<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var cascade = new BiquadCascade<T>(4, 2);
        cascade.SetStage(0, BiquadDesign.Design(FilterType.LowShelf, 100, 0.707, 0, Fs));
        cascade.SetStage(1, BiquadDesign.Design(FilterType.Peaking, 500, 0.707, 0, Fs));
        cascade.SetStage(2, BiquadDesign.Design(FilterType.Peaking, 2000, 0.707, 0, Fs));
        cascade.SetStage(3, BiquadDesign.Design(FilterType.HighShelf, 8000, 0.707, 0, Fs));
        Assert.Equal(4, cascade.ActiveStageCount);
        Assert.Equal(0, cascade.RunningStageCount);

        var rng = new Random(3);
        using var buffer = new PlanarBuffer<T>(2, 300);
        for (int block = 0; block < 20; block++)
        {
            var expected = new T[2][];
            for (int c = 0; c < 2; c++)
            {
                expected[c] = new T[300];
                for (int n = 0; n < 300; n++) expected[c][n] = buffer[c][n] = T.CreateTruncating(rng.NextDouble() * 2 - 1);
            }
            int frames = 1 + rng.Next(300);
            cascade.Process(buffer.Block().Slice(0, frames));
            for (int c = 0; c < 2; c++)
                for (int n = 0; n < 300; n++) Assert.Equal(expected[c][n], buffer[c][n]);
        }
    }

    [Fact]
    public void OneIdentityStageAmongFiltersEqualsTheCascadeWithoutIt()
    {
        var bell = BiquadDesign.Design(FilterType.Peaking, 1000, 1, 6, Fs);
        var shelf = BiquadDesign.Design(FilterType.HighShelf, 6000, 0.7, -4, Fs);
        var with = new BiquadCascade<double>(3, 1);
        with.SetStage(0, bell);
        with.SetStage(1, BiquadDesign.Design(FilterType.Peaking, 300, 1, 0, Fs));
        with.SetStage(2, shelf);
        var without = new BiquadCascade<double>(2, 1);
        without.SetStage(0, bell);
        without.SetStage(1, shelf);
        Assert.Equal(2, with.RunningStageCount);

        var rng = new Random(4);
        for (int block = 0; block < 10; block++)
        {
            double[] a = new double[257], b = new double[257];
            for (int n = 0; n < a.Length; n++) a[n] = b[n] = rng.NextDouble() - 0.5;
            with.Process(0, a);
            without.Process(0, b);
            Assert.Equal(b, a);
        }
    }

    [Fact]
    public void AStageThatStopsBeingIdentityStartsFromTheCurrentSignal()
    {
        // History tracks the signal while skipped: a DC input through a band that becomes a 0.001 dB bell stays on DC
        // (a bell passes DC at unity) with no step from stale state.
        var cascade = new BiquadCascade<double>(1, 1);
        cascade.SetStage(0, BiquadDesign.Design(FilterType.Peaking, 500, 1, 0, Fs));
        double[] block = Enumerable.Repeat(0.5, 64).ToArray();
        cascade.Process(0, block);
        cascade.SetStage(0, BiquadDesign.Design(FilterType.Peaking, 500, 1, 6, Fs));
        block = Enumerable.Repeat(0.5, 64).ToArray();
        cascade.Process(0, block);
        foreach (double y in block) Assert.Equal(0.5, y, 12);
    }

    [Fact]
    public void NonFiniteInputThroughAnIdentityCascadeLeavesFiniteState()
    {
        var cascade = new BiquadCascade<float>(2, 1);
        cascade.SetStage(0, BiquadDesign.Design(FilterType.Peaking, 500, 1, 0, Fs));
        float[] block = new float[32];
        block[31] = float.NaN;
        cascade.Process(0, block);
        foreach (double s in cascade.GetState(0)) Assert.True(double.IsFinite(s));
    }

    [Fact]
    public void PeakIsNonFiniteExactlyWhenASampleIs()
    {
        // GainBiquadChain's NaN guard uses the peak as its finiteness test.
        for (int n = 1; n <= 40; n++)
        for (int pos = 0; pos < n; pos++)
        {
            double[] a = new double[n];
            a[pos] = double.NaN;
            Assert.False(double.IsFinite(VectorKernels.Peak<double>(a)));
            a[pos] = double.NegativeInfinity;
            Assert.False(double.IsFinite(VectorKernels.Peak<double>(a)));
            a[pos] = 1.7e308;
            Assert.True(double.IsFinite(VectorKernels.Peak<double>(a)));
            float[] f = new float[n];
            f[pos] = float.PositiveInfinity;
            Assert.False(float.IsFinite(VectorKernels.Peak<float>(f)));
        }
    }
}
