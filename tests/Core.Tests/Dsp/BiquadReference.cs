using NPlug.Buffers.Dsp;

namespace NPlug.Buffers.Tests.Dsp;

/// <summary>
/// A plain sample-by-sample cascade used as the reference for <see cref="BiquadCascade{T}"/>, computed in
/// double-double arithmetic (~106-bit significand) so that its own rounding is negligible next to the 1e−12
/// bound even for bands whose pole noise gain amplifies double rounding into that range.
/// It follows the cascade's documented semantics: direct form I per stage, history kept across coefficient
/// changes, and a disabled stage passes through with its input and output history equal to its input.
/// </summary>
internal sealed class BiquadReference
{
    private readonly DoubleDouble[,] _x1, _x2, _y1, _y2;

    public BiquadReference(int stages, int channels)
    {
        Stages = new BiquadCoefficients[stages];
        Enabled = new bool[stages];
        _x1 = new DoubleDouble[channels, stages];
        _x2 = new DoubleDouble[channels, stages];
        _y1 = new DoubleDouble[channels, stages];
        _y2 = new DoubleDouble[channels, stages];
    }

    public BiquadCoefficients[] Stages { get; }

    public bool[] Enabled { get; }

    public double Process(int channel, double input)
    {
        var x = new DoubleDouble(input);
        for (int s = 0; s < Stages.Length; s++)
        {
            DoubleDouble y = x;
            if (Enabled[s])
            {
                BiquadCoefficients c = Stages[s];
                y = x * c.B0 + _x1[channel, s] * c.B1 + _x2[channel, s] * c.B2 - _y1[channel, s] * c.A1 - _y2[channel, s] * c.A2;
            }

            _x2[channel, s] = _x1[channel, s];
            _x1[channel, s] = x;
            if (Enabled[s])
            {
                _y2[channel, s] = _y1[channel, s];
                _y1[channel, s] = y;
            }
            else
            {
                // Identity: the output history is the input history (even if it was disabled one sample ago).
                _y2[channel, s] = _x2[channel, s];
                _y1[channel, s] = _x1[channel, s];
            }

            x = y;
        }

        return x.Value;
    }
}

/// <summary>Unevaluated sum hi + lo of two doubles (Dekker/Knuth error-free transformations).</summary>
internal readonly record struct DoubleDouble(double Hi, double Lo)
{
    public DoubleDouble(double value) : this(value, 0.0) { }

    public double Value => Hi + Lo;

    public static DoubleDouble operator +(DoubleDouble a, DoubleDouble b)
    {
        (double s, double e) = TwoSum(a.Hi, b.Hi);
        e += a.Lo + b.Lo;
        return Normalize(s, e);
    }

    public static DoubleDouble operator -(DoubleDouble a, DoubleDouble b) => a + new DoubleDouble(-b.Hi, -b.Lo);

    public static DoubleDouble operator *(DoubleDouble a, double b)
    {
        double p = a.Hi * b;
        double e = Math.FusedMultiplyAdd(a.Hi, b, -p) + a.Lo * b;
        return Normalize(p, e);
    }

    private static (double Sum, double Error) TwoSum(double a, double b)
    {
        double s = a + b;
        double bb = s - a;
        return (s, (a - (s - bb)) + (b - bb));
    }

    private static DoubleDouble Normalize(double hi, double lo)
    {
        double s = hi + lo;
        return new DoubleDouble(s, lo - (s - hi));
    }
}
