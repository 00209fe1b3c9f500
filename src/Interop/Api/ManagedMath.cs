using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NPlug.Buffers.Interop.Api;

/// <summary>
/// Elementary functions for the audio path without a call into the C library. In a NativeAOT bundle
/// <see cref="Math.Exp"/>, <see cref="Math.Log(double)"/>, <see cref="Math.Log10"/> and <see cref="Math.Pow"/> are
/// P/Invokes into libm (a GC-mode transition each, plus the library's own dispatch); <see cref="Exp"/> is the runtime's
/// managed vectorized <see cref="Vector128.Exp(Vector128{double})"/> on one lane, <see cref="Log"/> the atanh series. Results agree with <see cref="Math"/>'s to within a couple
/// of ulp (tests/Interop.Tests, ManagedMathTests), not bit for bit: use them where a value is converted, not where one
/// is compared with a Math result.
/// </summary>
public static class ManagedMath
{
    /// <summary>e^x: <see cref="Vector128.Exp(Vector128{double})"/> on one lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exp(double x) => Vector128.Exp(Vector128.Create(x)).ToScalar();

    /// <summary>dB per neper for amplitudes: 20 / ln 10.</summary>
    public const double DbPerNeper = 8.685889638065037;

    // ln 2 in two parts: the high part has 32 significant bits, so k·high is exact for every binary exponent k.
    private const double Ln2High = 0.6931471803691238;
    private const double Ln2Low = 1.9082149292705877e-10;
    private const double Sqrt2 = 1.4142135623730951;

    /// <summary>
    /// ln x for positive normal x, within a few ulps of <see cref="Math.Log(double)"/>: x = m·2^k with m in [√½, √2],
    /// ln m = 2·atanh(s) with s = (m − 1)/(m + 1) (|s| ≤ 0.172), its series summed to s²¹ (the next term is below
    /// 1e−17 of the result), plus k·ln 2. Zero, negatives, subnormals, infinities and NaN go to <see cref="Math.Log(double)"/>.
    /// </summary>
    public static double Log(double x)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(x);
        if (bits - 0x0010_0000_0000_0000UL >= 0x7FE0_0000_0000_0000UL) return Math.Log(x);
        int k = (int)(bits >> 52) - 1023;
        double m = BitConverter.UInt64BitsToDouble((bits & 0x000F_FFFF_FFFF_FFFFUL) | 0x3FF0_0000_0000_0000UL);
        if (m > Sqrt2)
        {
            m *= 0.5;
            k++;
        }
        double f = m - 1.0; // exact: m is within a factor 2 of 1
        double s = f / (2.0 + f);
        double z = s * s;
        double p = 1.0 / 21;
        p = Math.FusedMultiplyAdd(p, z, 1.0 / 19);
        p = Math.FusedMultiplyAdd(p, z, 1.0 / 17);
        p = Math.FusedMultiplyAdd(p, z, 1.0 / 15);
        p = Math.FusedMultiplyAdd(p, z, 1.0 / 13);
        p = Math.FusedMultiplyAdd(p, z, 1.0 / 11);
        p = Math.FusedMultiplyAdd(p, z, 1.0 / 9);
        p = Math.FusedMultiplyAdd(p, z, 1.0 / 7);
        p = Math.FusedMultiplyAdd(p, z, 1.0 / 5);
        p = Math.FusedMultiplyAdd(p, z, 1.0 / 3);
        double twoS = 2.0 * s;
        double lnM = Math.FusedMultiplyAdd(twoS * z, p, twoS);
        return Math.FusedMultiplyAdd(k, Ln2High, Math.FusedMultiplyAdd(k, Ln2Low, lnM));
    }

    /// <summary>
    /// 20·log10(amplitude), as a peak meter shows it: −∞ for an amplitude that is not positive (silence) or NaN.
    /// Managed, so no P/Invoke into libm per block on the audio thread of a NativeAOT bundle.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double AmplitudeToDb(double amplitude) =>
        amplitude > 0 ? Log(amplitude) * DbPerNeper : double.NegativeInfinity;
}
