using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NPlug.Buffers.Interop.Api;

/// <summary>
/// Elementary functions for the audio path. <see cref="Exp"/> is the runtime's managed vectorized
/// <see cref="Vector128.Exp(Vector128{double})"/> on one lane (in a NativeAOT bundle <see cref="Math.Exp"/> and
/// <see cref="Math.Pow"/> are P/Invokes into libm, a GC-mode transition each); <see cref="Log"/> is
/// <see cref="Math.Log(double)"/>. Results agree with <see cref="Math"/>'s to within a couple of ulp, not bit for bit.
/// </summary>
public static class ManagedMath
{
    /// <summary>dB per neper for amplitudes: 20 / ln 10.</summary>
    public const double DbPerNeper = 8.685889638065037;

    /// <summary>e^x: <see cref="Vector128.Exp(Vector128{double})"/> on one lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exp(double x) => Vector128.Exp(Vector128.Create(x)).ToScalar();

    /// <summary>ln x (NaN below 0, −∞ at 0).</summary>
    public static double Log(double x) => Math.Log(x);

    /// <summary>20·log10(amplitude); −∞ for an amplitude that is not positive (silence), as a peak meter shows it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double AmplitudeToDb(double amplitude) =>
        amplitude > 0 ? Log(amplitude) * DbPerNeper : double.NegativeInfinity;
}
