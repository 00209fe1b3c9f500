using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NPlug.Buffers.Interop.Api;

/// <summary>
/// Elementary functions for the audio path without a call into the C library. In a NativeAOT bundle
/// <see cref="Math.Exp"/> and <see cref="Math.Pow"/> are P/Invokes into libm (a GC-mode transition each, plus the
/// library's own dispatch); <see cref="Exp"/> is the runtime's managed vectorized
/// <see cref="Vector128.Exp(Vector128{double})"/> on one lane. Results agree with <see cref="Math"/>'s to within a couple
/// of ulp (tests/Interop.Tests, ManagedMathTests), not bit for bit: use them where a value is converted, not where one
/// is compared with a Math result.
/// </summary>
public static class ManagedMath
{
    /// <summary>e^x: <see cref="Vector128.Exp(Vector128{double})"/> on one lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exp(double x) => Vector128.Exp(Vector128.Create(x)).ToScalar();
}
