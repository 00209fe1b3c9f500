using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NPlug.Buffers.Dsp;

/// <summary>
/// <see cref="BiquadDesign.Design"/> for one band that is designed again and again (a moving EQ band: once per 32-frame
/// sub-block): the same cookbook sections, the same clamping and identity rules, a cheaper evaluation.
/// </summary>
/// <remarks>
/// <para>What it saves, per design: the three divisions on the path from the frequency to the coefficients
/// (2π·f/fs, sin/(2Q), α/A) become a multiplication by 2π/fs and by 1/(2Q) (computed once per rate and Q) and, for a
/// peaking band, the section scaled by A (no 1/A at all); the
/// transcendental calls depend only on one parameter each and are remembered: sin and cos of ω0 (one vectorized SinCos) while f stays,
/// A = 10^(dB/40) (one exp) and √A (shelves only) while the gain stays. Only the 1/a0 normalisation stays a division.</para>
/// <para>Accuracy: a product by a rounded reciprocal can differ from the quotient in the last bit, so a coefficient may
/// differ from <see cref="BiquadDesign.Design"/>'s by a few ulps (relative 1e−15; the design's own rounding is of the
/// same size) — far inside every response and chain-vs-reference bound, and checked against it in the tests.</para>
/// <para>A plain struct, no allocation; not thread-safe (one per band, used by the thread that designs it).</para>
/// </remarks>
internal struct BandDesigner
{
    // A = 10^(dB/40) = exp(dB·ln10/40), as BiquadDesign.
    private const double Ln10Over40 = 2.302585092994045684 / 40.0;

    private double _sampleRate;      // the rate the cached values below belong to (0: nothing cached)
    private double _radiansPerHz;    // 2π / fs
    private double _minHz, _maxHz;

    private double _f, _sin, _cos;   // the clamped frequency whose sin/cos of ω0 are held
    private double _q, _halfInvQ;    // the clamped Q and 1/(2Q)
    private double _g, _a, _sqrtA;   // the clamped gain (dB), A, √A

    /// <summary>
    /// Designs a section as <see cref="BiquadDesign.Design"/> does, with the same clamps and the same identity results
    /// (non-finite argument, non-positive rate, unknown type, peaking or shelf at exactly 0 dB).
    /// </summary>
    public BiquadCoefficients Design(FilterType type, double frequencyHz, double q, double gainDb, double sampleRate)
    {
        if (!double.IsFinite(frequencyHz) || !double.IsFinite(q) || !double.IsFinite(gainDb) ||
            !double.IsFinite(sampleRate) || sampleRate <= 0.0)
        {
            return BiquadCoefficients.Identity;
        }

        if (sampleRate != _sampleRate) Rate(sampleRate);
        double f = Math.Clamp(frequencyHz, _minHz, _maxHz);
        double qq = Math.Max(q, BiquadDesign.MinQ);
        double g = Math.Clamp(gainDb, -BiquadDesign.MaxGainDb, BiquadDesign.MaxGainDb);
        bool gained = type is FilterType.Peaking or FilterType.LowShelf or FilterType.HighShelf;
        if (g == 0.0 && gained) return BiquadCoefficients.Identity;
        if ((uint)type > (uint)FilterType.AllPass) return BiquadCoefficients.Identity;

        // Gain first: its exp and division do not wait on the sin/cos below.
        if (gained && g != _g) Gain(g);
        if (qq != _q)
        {
            _q = qq;
            _halfInvQ = 0.5 / qq;
        }
        if (f != _f) Warp(f);

        double cosW = _cos;
        double alpha = _sin * _halfInvQ;
        bool shelf = type is FilterType.LowShelf or FilterType.HighShelf;
        return BiquadDesign.Section(type, cosW, alpha, gained ? _a : 1.0, shelf ? SqrtA() : 1.0, peakingScaledByA: true);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Rate(double sampleRate)
    {
        _sampleRate = sampleRate;
        _radiansPerHz = 2.0 * Math.PI / sampleRate;
        _minHz = BiquadDesign.MinFrequencyRatio * sampleRate;
        _maxHz = BiquadDesign.MaxFrequencyRatio * sampleRate;
        _f = double.NaN; // NaN never equals: the next design recomputes
        _q = double.NaN;
        _g = double.NaN;
    }

    private void Warp(double f)
    {
        double w0 = f * _radiansPerHz;
        if (Vector128.IsHardwareAccelerated)
        {
            // One vectorized evaluation of both (the runtime's managed SinCos, within 1 ulp of libm's sin and cos). Under
            // NativeAOT Math.SinCos is two libm calls, sin then cos (8% of an automated GainEQ block in the bundle's profile).
            (Vector128<double> sin, Vector128<double> cos) = Vector128.SinCos(Vector128.Create(w0));
            _sin = sin.ToScalar();
            _cos = cos.ToScalar();
        }
        else
        {
            (_sin, _cos) = Math.SinCos(w0);
        }
        _f = f;
    }

    private double SqrtA()
    {
        if (double.IsNaN(_sqrtA)) _sqrtA = Math.Sqrt(_a);
        return _sqrtA;
    }

    private void Gain(double g)
    {
        double a = Math.Exp(g * Ln10Over40);
        _a = a;
        _sqrtA = double.NaN; // the shelves' √A, taken when one needs it
        _g = g;
    }
}
