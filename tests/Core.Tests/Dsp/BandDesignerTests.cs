using NPlug.Buffers.Dsp;

namespace NPlug.Buffers.Tests.Dsp;

/// <summary>The chain's per-band designer against <see cref="BiquadDesign.Design"/>, the definition it must follow.</summary>
public class BandDesignerTests
{
    private static void AssertClose(BiquadCoefficients expected, BiquadCoefficients actual, string what)
    {
        // A product by a rounded reciprocal may differ from a quotient in the last bit: a few ulps per coefficient.
        static void One(double e, double a, string name, string what) =>
            Assert.True(Math.Abs(e - a) <= 1e-13 * Math.Max(1.0, Math.Abs(e)), $"{what}: {name} {e:R} vs {a:R}");
        One(expected.B0, actual.B0, "B0", what);
        One(expected.B1, actual.B1, "B1", what);
        One(expected.B2, actual.B2, "B2", what);
        One(expected.A1, actual.A1, "A1", what);
        One(expected.A2, actual.A2, "A2", what);
    }

    [Fact]
    public void MatchesBiquadDesign_ForEveryType_AsParametersMoveOneAtATime()
    {
        var rng = new Random(31);
        var designer = new BandDesigner();
        double f = 1000, q = 1, g = 3, fs = 48000;
        for (int i = 0; i < 20000; i++)
        {
            var type = (FilterType)rng.Next(8);
            // Move one, two or all parameters (the cached parts must follow exactly what changed), now and then the rate.
            int move = rng.Next(8);
            if ((move & 1) != 0) f = Math.Exp(Math.Log(5) + rng.NextDouble() * Math.Log(30000.0 / 5));
            if ((move & 2) != 0) q = 0.005 + rng.NextDouble() * 40;
            if ((move & 4) != 0) g = rng.Next(10) == 0 ? 0.0 : rng.NextDouble() * 260 - 130;
            if (rng.Next(500) == 0) fs = new[] { 44100.0, 48000, 96000, 192000 }[rng.Next(4)];
            var expected = BiquadDesign.Design(type, f, q, g, fs);
            var actual = designer.Design(type, f, q, g, fs);
            if (expected == BiquadCoefficients.Identity) Assert.Equal(expected, actual);
            else AssertClose(expected, actual, $"#{i} {type} f={f} q={q} g={g} fs={fs}");
        }
    }

    [Fact]
    public void IdentityAndClampRules_AreBiquadDesigns()
    {
        var designer = new BandDesigner();
        const double Fs = 48000;
        Assert.Equal(BiquadCoefficients.Identity, designer.Design(FilterType.LowPass, double.NaN, 1, 0, Fs));
        Assert.Equal(BiquadCoefficients.Identity, designer.Design(FilterType.LowPass, 1000, double.PositiveInfinity, 0, Fs));
        Assert.Equal(BiquadCoefficients.Identity, designer.Design(FilterType.Peaking, 1000, 1, double.NaN, Fs));
        Assert.Equal(BiquadCoefficients.Identity, designer.Design(FilterType.LowPass, 1000, 1, 0, 0));
        Assert.Equal(BiquadCoefficients.Identity, designer.Design(FilterType.LowPass, 1000, 1, 0, -48000));
        Assert.Equal(BiquadCoefficients.Identity, designer.Design((FilterType)99, 1000, 1, 0, Fs));
        foreach (var t in new[] { FilterType.Peaking, FilterType.LowShelf, FilterType.HighShelf })
            Assert.Equal(BiquadCoefficients.Identity, designer.Design(t, 1000, 1, 0.0, Fs));
        AssertClose(BiquadDesign.Design(FilterType.LowPass, 0.49 * Fs, 1, 0, Fs), designer.Design(FilterType.LowPass, 30_000, 1, 0, Fs), "max f");
        AssertClose(BiquadDesign.Design(FilterType.LowPass, 1000, BiquadDesign.MinQ, 0, Fs), designer.Design(FilterType.LowPass, 1000, -3, 0, Fs), "min q");
        AssertClose(BiquadDesign.Design(FilterType.HighPass, BiquadDesign.MinFrequencyRatio * Fs, 1, 0, Fs), designer.Design(FilterType.HighPass, -5, 1, 0, Fs), "min f");
        AssertClose(BiquadDesign.Design(FilterType.Peaking, 1000, 1, BiquadDesign.MaxGainDb, Fs), designer.Design(FilterType.Peaking, 1000, 1, 500, Fs), "max g");
    }
}
