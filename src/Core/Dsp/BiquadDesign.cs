using System.Runtime.CompilerServices;
using System.Numerics;

namespace NPlug.Buffers.Dsp;

/// <summary>
/// Second-order filter design after Robert Bristow-Johnson's Audio EQ Cookbook, plus the exact frequency
/// response of any coefficient set. Pure functions of their arguments: safe on any thread, never allocate.
/// </summary>
public static class BiquadDesign
{
    /// <summary>Highest design frequency as a fraction of the sample rate; keeps the bilinear warp away from Nyquist.</summary>
    public const double MaxFrequencyRatio = 0.49;

    /// <summary>Lowest design frequency as a fraction of the sample rate (0.48 Hz at 48 kHz).</summary>
    public const double MinFrequencyRatio = 1e-5;

    /// <summary>Smallest Q accepted; smaller (or non-positive) values are raised to it.</summary>
    public const double MinQ = 0.01;

    /// <summary>Gains beyond ±this many dB are clamped (keeps A = 10^(dB/40) far from overflow).</summary>
    public const double MaxGainDb = 120.0;

    // A = 10^(dB/40) as exp(dB·ln10/40): one exp instead of a pow on every redesign of a moving band.
    private const double Ln10Over40 = 2.302585092994045684 / 40.0;

    /// <summary>
    /// Designs one section. <paramref name="frequencyHz"/> is clamped to
    /// [<see cref="MinFrequencyRatio"/>·fs, <see cref="MaxFrequencyRatio"/>·fs], <paramref name="q"/> to at least
    /// <see cref="MinQ"/>, <paramref name="gainDb"/> (used by Peaking and the shelves only) to ±<see cref="MaxGainDb"/>.
    /// Any NaN or infinite argument, a non-positive sample rate or an unknown type yields <see cref="BiquadCoefficients.Identity"/>,
    /// and so does a Peaking, LowShelf or HighShelf section at exactly 0 dB (it is H(z) = 1).
    /// </summary>
    public static BiquadCoefficients Design(FilterType type, double frequencyHz, double q, double gainDb, double sampleRate)
    {
        if (!double.IsFinite(frequencyHz) || !double.IsFinite(q) || !double.IsFinite(gainDb) ||
            !double.IsFinite(sampleRate) || sampleRate <= 0.0)
        {
            return BiquadCoefficients.Identity;
        }

        double f = Math.Clamp(frequencyHz, MinFrequencyRatio * sampleRate, MaxFrequencyRatio * sampleRate);
        double qq = Math.Max(q, MinQ);
        double g = Math.Clamp(gainDb, -MaxGainDb, MaxGainDb);
        // At 0 dB the cookbook's peaking and shelf sections have numerator = denominator, H(z) = 1; the a0 division
        // would leave B0 an ulp off 1, so the exact identity is returned (and a cascade skips it: BiquadCascade.IsIdentity).
        if (g == 0.0 && type is FilterType.Peaking or FilterType.LowShelf or FilterType.HighShelf)
            return BiquadCoefficients.Identity;

        double w0 = 2.0 * Math.PI * f / sampleRate;
        (double sinW, double cosW) = Math.SinCos(w0); // one call; the same values as Math.Sin and Math.Cos
        double alpha = sinW / (2.0 * qq);

        double a = type is FilterType.Peaking or FilterType.LowShelf or FilterType.HighShelf ? Math.Exp(g * Ln10Over40) : 1.0; // 10^(g/40)
        double sqrtA = type is FilterType.LowShelf or FilterType.HighShelf ? Math.Sqrt(a) : 1.0;
        return Section(type, cosW, alpha, a, sqrtA, peakingScaledByA: false);
    }

    /// <summary>
    /// The cookbook section for cos ω0, α = sin ω0 / 2Q, A = 10^(g/40) and √A, normalized by a0; one copy for
    /// <see cref="Design"/> and <see cref="SectionQuad"/>, so both give the same bits for the same inputs.
    /// <paramref name="peakingScaledByA"/>: the peaking section with numerator and denominator multiplied by A
    /// (b0 = A + αA², a0 = A + α), which needs no 1/A — a division that would wait on the exp; equal up to rounding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static BiquadCoefficients Section(FilterType type, double cosW, double alpha, double a, double sqrtA, bool peakingScaledByA)
    {
        double b0, b1, b2, a0, a1, a2;
        switch (type)
        {
            case FilterType.LowPass:
                b1 = 1.0 - cosW; b0 = b1 * 0.5; b2 = b0;
                a0 = 1.0 + alpha; a1 = -2.0 * cosW; a2 = 1.0 - alpha;
                break;
            case FilterType.HighPass:
                b1 = -(1.0 + cosW); b0 = -b1 * 0.5; b2 = b0;
                a0 = 1.0 + alpha; a1 = -2.0 * cosW; a2 = 1.0 - alpha;
                break;
            case FilterType.BandPass:
                b0 = alpha; b1 = 0.0; b2 = -alpha;
                a0 = 1.0 + alpha; a1 = -2.0 * cosW; a2 = 1.0 - alpha;
                break;
            case FilterType.Notch:
                b0 = 1.0; b1 = -2.0 * cosW; b2 = 1.0;
                a0 = 1.0 + alpha; a1 = -2.0 * cosW; a2 = 1.0 - alpha;
                break;
            case FilterType.AllPass:
                b0 = 1.0 - alpha; b1 = -2.0 * cosW; b2 = 1.0 + alpha;
                a0 = 1.0 + alpha; a1 = -2.0 * cosW; a2 = 1.0 - alpha;
                break;
            case FilterType.Peaking when peakingScaledByA:
            {
                double up = alpha * a;
                b0 = a + up * a; b1 = -2.0 * cosW * a; b2 = a - up * a;
                a0 = a + alpha; a1 = b1; a2 = a - alpha;
                break;
            }
            case FilterType.Peaking:
                b0 = 1.0 + alpha * a; b1 = -2.0 * cosW; b2 = 1.0 - alpha * a;
                a0 = 1.0 + alpha / a; a1 = -2.0 * cosW; a2 = 1.0 - alpha / a;
                break;
            case FilterType.LowShelf:
            {
                double k = 2.0 * sqrtA * alpha;
                b0 = a * ((a + 1.0) - (a - 1.0) * cosW + k);
                b1 = 2.0 * a * ((a - 1.0) - (a + 1.0) * cosW);
                b2 = a * ((a + 1.0) - (a - 1.0) * cosW - k);
                a0 = (a + 1.0) + (a - 1.0) * cosW + k;
                a1 = -2.0 * ((a - 1.0) + (a + 1.0) * cosW);
                a2 = (a + 1.0) + (a - 1.0) * cosW - k;
                break;
            }
            case FilterType.HighShelf:
            {
                double k = 2.0 * sqrtA * alpha;
                b0 = a * ((a + 1.0) + (a - 1.0) * cosW + k);
                b1 = -2.0 * a * ((a - 1.0) + (a + 1.0) * cosW);
                b2 = a * ((a + 1.0) + (a - 1.0) * cosW - k);
                a0 = (a + 1.0) - (a - 1.0) * cosW + k;
                a1 = 2.0 * ((a - 1.0) - (a + 1.0) * cosW);
                a2 = (a + 1.0) - (a - 1.0) * cosW - k;
                break;
            }
            default:
                return BiquadCoefficients.Identity;
        }

        double inv = 1.0 / a0;
        return new BiquadCoefficients(b0 * inv, b1 * inv, b2 * inv, a1 * inv, a2 * inv);
    }

    /// <summary>
    /// The exact response H(e^{jω}) with ω = 2π·f/fs:
    /// (B0 + B1 e^{-jω} + B2 e^{-2jω}) / (1 + A1 e^{-jω} + A2 e^{-2jω}).
    /// </summary>
    public static Complex Response(in BiquadCoefficients c, double frequencyHz, double sampleRate)
    {
        double w = 2.0 * Math.PI * frequencyHz / sampleRate;
        double c1 = Math.Cos(w), s1 = Math.Sin(w);
        double c2 = Math.Cos(2.0 * w), s2 = Math.Sin(2.0 * w);
        // e^{-jkω} = cos kω - j sin kω
        var numerator = new Complex(c.B0 + c.B1 * c1 + c.B2 * c2, -(c.B1 * s1 + c.B2 * s2));
        var denominator = new Complex(1.0 + c.A1 * c1 + c.A2 * c2, -(c.A1 * s1 + c.A2 * s2));
        return numerator / denominator;
    }

    /// <summary>20·log10 |H(e^{jω})|; −∞ exactly on a zero.</summary>
    public static double MagnitudeDb(in BiquadCoefficients c, double frequencyHz, double sampleRate)
        => 20.0 * Math.Log10(Response(c, frequencyHz, sampleRate).Magnitude);

    /// <summary>arg H(e^{jω}) in radians, in (−π, π].</summary>
    public static double Phase(in BiquadCoefficients c, double frequencyHz, double sampleRate)
        => Response(c, frequencyHz, sampleRate).Phase;
}
