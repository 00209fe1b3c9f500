using System.Numerics;
using MathNet.Numerics;
using NPlug.Buffers.Dsp;

namespace NPlug.Buffers.Tests.Dsp;

public class BiquadDesignTests
{
    private const double Fs = 48_000;

    public static TheoryData<FilterType> AllTypes()
    {
        var data = new TheoryData<FilterType>();
        foreach (FilterType t in Enum.GetValues<FilterType>()) data.Add(t);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Response_MatchesMathNetPolynomialEvaluation(FilterType type)
    {
        var rng = new Random(7 + (int)type);
        for (int trial = 0; trial < 20; trial++)
        {
            BiquadCoefficients c = BiquadDesign.Design(type, 20 + rng.NextDouble() * 20_000, 0.2 + rng.NextDouble() * 8, rng.NextDouble() * 36 - 18, Fs);
            var numerator = new Polynomial(c.B0, c.B1, c.B2);
            var denominator = new Polynomial(1.0, c.A1, c.A2);
            for (int k = 0; k < 10; k++)
            {
                double f = rng.NextDouble() * Fs / 2;
                Complex zInv = Complex.Exp(new Complex(0, -2 * Math.PI * f / Fs));
                Complex expected = numerator.Evaluate(zInv) / denominator.Evaluate(zInv);
                Complex actual = BiquadDesign.Response(c, f, Fs);
                Assert.True((expected - actual).Magnitude <= 1e-9 * Math.Max(1, expected.Magnitude), $"{type} f={f}: {expected} vs {actual}");
                Assert.Equal(expected.Phase, BiquadDesign.Phase(c, f, Fs), 1e-9);
            }
        }
    }

    [Fact]
    public void HandDerivedValuesAtDcCentreAndNyquist()
    {
        const double f0 = 1000, q = 0.7071, g = 6.0;
        // At DC z⁻¹ = 1 so H = ΣB / (1 + A1 + A2); at Nyquist z⁻¹ = −1 so H = (B0 − B1 + B2) / (1 − A1 + A2).
        static double Dc(BiquadCoefficients c) => (c.B0 + c.B1 + c.B2) / (1 + c.A1 + c.A2);
        static double Nyq(BiquadCoefficients c) => (c.B0 - c.B1 + c.B2) / (1 - c.A1 + c.A2);

        var lp = BiquadDesign.Design(FilterType.LowPass, f0, q, 0, Fs);
        Assert.Equal(1.0, Dc(lp), 12);
        Assert.Equal(0.0, Nyq(lp), 12);
        Assert.Equal(1.0, BiquadDesign.Response(lp, 0, Fs).Magnitude, 12);
        Assert.Equal(20 * Math.Log10(q), BiquadDesign.MagnitudeDb(lp, f0, Fs), 9); // |H(f0)| = Q for the RBJ LPF

        var hp = BiquadDesign.Design(FilterType.HighPass, f0, q, 0, Fs);
        Assert.Equal(0.0, Dc(hp), 12);
        Assert.Equal(1.0, Nyq(hp), 12);

        var bp = BiquadDesign.Design(FilterType.BandPass, f0, 2.0, 0, Fs);
        Assert.Equal(0.0, BiquadDesign.MagnitudeDb(bp, f0, Fs), 9);
        Assert.Equal(0.0, Dc(bp), 12);

        var notch = BiquadDesign.Design(FilterType.Notch, f0, 2.0, 0, Fs);
        Assert.True(BiquadDesign.Response(notch, f0, Fs).Magnitude < 1e-12);
        Assert.Equal(1.0, Dc(notch), 12);

        var peak = BiquadDesign.Design(FilterType.Peaking, f0, 1.5, g, Fs);
        Assert.Equal(g, BiquadDesign.MagnitudeDb(peak, f0, Fs), 9);
        Assert.Equal(1.0, Dc(peak), 12);

        var ls = BiquadDesign.Design(FilterType.LowShelf, f0, q, g, Fs);
        Assert.Equal(g, 20 * Math.Log10(Dc(ls)), 9);
        Assert.Equal(1.0, Nyq(ls), 12);

        var hs = BiquadDesign.Design(FilterType.HighShelf, f0, q, g, Fs);
        Assert.Equal(1.0, Dc(hs), 12);
        Assert.Equal(g, 20 * Math.Log10(Nyq(hs)), 9);

        var ap = BiquadDesign.Design(FilterType.AllPass, f0, q, 0, Fs);
        foreach (double f in new[] { 0.0, 100, 1000, 5000, 23_999 })
            Assert.Equal(0.0, BiquadDesign.MagnitudeDb(ap, f, Fs), 9);
        Assert.Equal(Math.PI, Math.Abs(BiquadDesign.Phase(ap, f0, Fs)), 9); // −180° at the centre
    }

    [Fact]
    public void InvalidInputs_GiveIdentityOrClamp()
    {
        Assert.Equal(BiquadCoefficients.Identity, BiquadDesign.Design(FilterType.LowPass, double.NaN, 1, 0, Fs));
        Assert.Equal(BiquadCoefficients.Identity, BiquadDesign.Design(FilterType.LowPass, 1000, double.PositiveInfinity, 0, Fs));
        Assert.Equal(BiquadCoefficients.Identity, BiquadDesign.Design(FilterType.Peaking, 1000, 1, double.NaN, Fs));
        Assert.Equal(BiquadCoefficients.Identity, BiquadDesign.Design(FilterType.LowPass, 1000, 1, 0, 0));
        Assert.Equal(BiquadCoefficients.Identity, BiquadDesign.Design(FilterType.LowPass, 1000, 1, 0, -48000));
        Assert.Equal(BiquadCoefficients.Identity, BiquadDesign.Design((FilterType)99, 1000, 1, 0, Fs));

        // Above 0.49·fs clamps to 0.49·fs; Q ≤ 0 clamps to MinQ; negative frequency clamps to the floor.
        Assert.Equal(BiquadDesign.Design(FilterType.LowPass, 0.49 * Fs, 1, 0, Fs), BiquadDesign.Design(FilterType.LowPass, 30_000, 1, 0, Fs));
        Assert.Equal(BiquadDesign.Design(FilterType.LowPass, 1000, BiquadDesign.MinQ, 0, Fs), BiquadDesign.Design(FilterType.LowPass, 1000, -3, 0, Fs));
        Assert.Equal(BiquadDesign.Design(FilterType.HighPass, BiquadDesign.MinFrequencyRatio * Fs, 1, 0, Fs), BiquadDesign.Design(FilterType.HighPass, -5, 1, 0, Fs));

        foreach (FilterType t in Enum.GetValues<FilterType>())
        foreach (double f in new[] { -1.0, 0.0, 1e-9, 10, 23_999, 1e9 })
        foreach (double q in new[] { -1.0, 0.0, 1e-6, 0.5, 100 })
        {
            BiquadCoefficients c = BiquadDesign.Design(t, f, q, 24, Fs);
            Assert.True(c.IsFinite, $"{t} {f} {q}");
            Assert.True(c.IsStable, $"{t} {f} {q}: {c}");
        }
    }
}
