using System.Runtime.CompilerServices;

namespace NPlug.Buffers.Dsp;

/// <summary>
/// Coefficients of one second-order section with a0 normalised to 1:
/// <c>y[n] = B0·x[n] + B1·x[n-1] + B2·x[n-2] - A1·y[n-1] - A2·y[n-2]</c>,
/// i.e. H(z) = (B0 + B1 z⁻¹ + B2 z⁻²) / (1 + A1 z⁻¹ + A2 z⁻²).
/// </summary>
/// <remarks>Always double precision: a float cascade rounds them once when they are installed.</remarks>
public readonly record struct BiquadCoefficients(double B0, double B1, double B2, double A1, double A2)
{
    /// <summary>The pass-through section (H(z) = 1).</summary>
    public static BiquadCoefficients Identity => new(1.0, 0.0, 0.0, 0.0, 0.0);

    /// <summary>True when every coefficient is a finite number.</summary>
    public bool IsFinite
    {
        // Called per coefficient change (per sub-block while a band moves); NativeAOT did not inline it on its own.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => double.IsFinite(B0) && double.IsFinite(B1) && double.IsFinite(B2) && double.IsFinite(A1) && double.IsFinite(A2);
    }

    /// <summary>
    /// True when both poles lie strictly inside the unit circle (the stability triangle |A2| &lt; 1, |A1| &lt; 1 + A2).
    /// </summary>
    public bool IsStable => IsFinite && Math.Abs(A2) < 1.0 && Math.Abs(A1) < 1.0 + A2;
}
