namespace NPlug.Buffers.Chain;

public enum EnvelopeMode
{
    /// <summary>Follows |x|.</summary>
    Peak,

    /// <summary>Follows x², reported as its square root (an RMS with attack/release ballistics).</summary>
    Rms,
}

/// <summary>
/// Attack/release envelope follower (one-pole per direction). Scalar by nature: each sample depends on the last.
/// </summary>
/// <remarks>Non-finite input resets the envelope to 0 instead of latching NaN into the ducking gain.</remarks>
public sealed class EnvelopeFollower
{
    private double _attackCoefficient;
    private double _releaseCoefficient;
    private double _state; // |x| for peak, x² for RMS

    public EnvelopeFollower(double attackSeconds, double releaseSeconds, double sampleRate, EnvelopeMode mode = EnvelopeMode.Peak)
    {
        Mode = mode;
        Configure(attackSeconds, releaseSeconds, sampleRate);
    }

    public EnvelopeMode Mode { get; set; }

    /// <summary>Envelope level in linear amplitude.</summary>
    public double Value => Mode == EnvelopeMode.Rms ? Math.Sqrt(_state) : _state;

    public void Configure(double attackSeconds, double releaseSeconds, double sampleRate)
    {
        _attackCoefficient = Coefficient(attackSeconds, sampleRate);
        _releaseCoefficient = Coefficient(releaseSeconds, sampleRate);
    }

    public void Reset() => _state = 0;

    /// <summary>Feeds one sample and returns the envelope (linear amplitude).</summary>
    public double Process(double x)
    {
        double level = Mode == EnvelopeMode.Rms ? x * x : Math.Abs(x);
        double c = level > _state ? _attackCoefficient : _releaseCoefficient;
        double s = level + (_state - level) * c;
        _state = double.IsFinite(s) ? s : 0;
        return Value;
    }

    /// <summary>Feeds <paramref name="samples"/> zeros in O(1) (release only) and returns the envelope.</summary>
    public double ProcessSilence(int samples)
    {
        if (samples > 0 && _state != 0)
        {
            _state *= Math.Pow(_releaseCoefficient, samples);
            if (_state < 1e-30) _state = 0;
        }
        return Value;
    }

    /// <summary>Feeds a span of float or double samples and returns the envelope after its last sample.</summary>
    public double Process<T>(ReadOnlySpan<T> samples) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Process(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(samples));
        if (typeof(T) == typeof(double)) return Process(System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(samples));
        double last = Value;
        for (int i = 0; i < samples.Length; i++) last = Process(double.CreateTruncating(samples[i]));
        return last;
    }

    /// <summary>Feeds a span and returns the envelope after its last sample.</summary>
    public double Process(ReadOnlySpan<float> samples) => ProcessBlock(samples);

    /// <summary>Feeds a span and returns the envelope after its last sample.</summary>
    public double Process(ReadOnlySpan<double> samples) => ProcessBlock(samples);

    // One loop for both precisions (instantiated per T, so float samples widen exactly as a cast would). The state
    // lives in a local for the span and is checked for non-finite values once, at the end.
    private double ProcessBlock<T>(ReadOnlySpan<T> samples) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        double s = _state, a = _attackCoefficient, r = _releaseCoefficient;
        bool rms = Mode == EnvelopeMode.Rms;
        for (int i = 0; i < samples.Length; i++)
        {
            double x = double.CreateTruncating(samples[i]);
            double level = rms ? x * x : Math.Abs(x);
            s = level + (s - level) * (level > s ? a : r);
        }
        _state = double.IsFinite(s) ? s : 0;
        return Value;
    }

    // Time to move 1 - 1/e of the way; 0 s means instant.
    private static double Coefficient(double seconds, double sampleRate)
    {
        double samples = seconds * sampleRate;
        return samples > 1e-9 && double.IsFinite(samples) ? Math.Exp(-1.0 / samples) : 0.0;
    }
}
