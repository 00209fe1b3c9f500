using System.Runtime.CompilerServices;

namespace NPlug.Buffers.Chain;

public enum SmootherKind
{
    /// <summary>Reaches a new target in a fixed number of samples with a constant step.</summary>
    Linear,

    /// <summary>Exponential approach with a time constant; snaps to the target once within <see cref="SmootherConfig.ArrivalTolerance"/>.</summary>
    OnePole,
}

/// <summary>
/// Immutable smoother settings, already converted to samples so the audio thread does no <c>exp</c> per retarget.
/// </summary>
public readonly struct SmootherConfig
{
    public SmootherConfig(SmootherKind kind, double timeSeconds, double sampleRate, double arrivalTolerance = 1e-6)
    {
        if (!(sampleRate > 0) || double.IsInfinity(sampleRate)) sampleRate = 48000;
        if (!(timeSeconds >= 0) || double.IsInfinity(timeSeconds)) timeSeconds = 0;
        if (!(arrivalTolerance > 0) || double.IsInfinity(arrivalTolerance)) arrivalTolerance = 1e-6;
        Kind = kind;
        TimeSeconds = timeSeconds;
        SampleRate = sampleRate;
        ArrivalTolerance = arrivalTolerance;
        double samples = timeSeconds * sampleRate;
        RampSamples = (int)Math.Min(int.MaxValue / 2, Math.Max(0, Math.Round(samples)));
        // One-pole: after `samples` samples the remaining distance is 1/e of the jump (time constant).
        PoleCoefficient = samples >= 1e-9 ? Math.Exp(-1.0 / samples) : 0.0;
    }

    public SmootherKind Kind { get; }

    public double TimeSeconds { get; }

    public double SampleRate { get; }

    /// <summary>Absolute distance below which a one-pole smoother lands exactly on its target.</summary>
    public double ArrivalTolerance { get; }

    /// <summary>Length of a linear ramp in samples (0 = jump immediately).</summary>
    public int RampSamples { get; }

    /// <summary>Per-sample retention of the one-pole (0 = jump immediately).</summary>
    public double PoleCoefficient { get; }

    public static SmootherConfig Immediate => new(SmootherKind.Linear, 0, 48000);
}

/// <summary>
/// A parameter smoother: mutable state, fixed config, no allocation. Values are double so the
/// recurrence does not drift for float chains either.
/// </summary>
/// <remarks>
/// Arrival is exact: a linear ramp lands on the target bit for bit after <see cref="SmootherConfig.RampSamples"/>
/// samples; a one-pole snaps once its distance falls below the tolerance. Non-finite targets are ignored.
/// </remarks>
public struct Smoother
{
    private SmootherConfig _config;
    private double _current;
    private double _target;
    private double _step;      // linear only
    private int _remaining;    // linear only: samples left until _current == _target
    private PoleDecayCache _decay;

    public Smoother(in SmootherConfig config, double initialValue)
    {
        _config = config;
        _current = _target = double.IsFinite(initialValue) ? initialValue : 0;
        _step = 0;
        _remaining = 0;
        _decay = default;
    }

    public readonly SmootherConfig Config => _config;

    /// <summary>The value of the last sample produced (or the reset value).</summary>
    public readonly double Current => _current;

    public readonly double Target => _target;

    public readonly bool IsSmoothing => _current != _target;

    /// <summary>Changes timing without a jump; a linear ramp in progress restarts from the current value.</summary>
    public void Configure(in SmootherConfig config)
    {
        _config = config;
        _decay = default;
        double target = _target;
        _target = _current;
        SetTarget(target);
    }

    /// <summary>
    /// Sets a one-pole smoother's value and target as a caller that stepped it itself (with <see cref="Advance"/>'s
    /// arithmetic, on vectors of several smoothers) left them. One-pole only: a linear ramp's step count is not kept.
    /// </summary>
    internal void SetOnePoleState(double current, double target)
    {
        System.Diagnostics.Debug.Assert(_config.Kind == SmootherKind.OnePole);
        _current = current;
        _target = target;
    }

    /// <summary>Jumps to <paramref name="value"/> with no ramp.</summary>
    public void Reset(double value)
    {
        if (!double.IsFinite(value)) value = double.IsFinite(_target) ? _target : 0;
        _current = _target = value;
        _remaining = 0;
        _step = 0;
    }

    /// <summary>Starts moving towards <paramref name="target"/>. The same target again does not restart a linear ramp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetTarget(double target)
    {
        if (!double.IsFinite(target) || target == _target) return;
        _target = target;
        if (_config.Kind == SmootherKind.Linear)
        {
            int n = _config.RampSamples;
            if (n <= 0)
            {
                _current = target;
                _remaining = 0;
            }
            else
            {
                _remaining = n;
                _step = (target - _current) / n;
            }
        }
        else if (_config.PoleCoefficient == 0)
        {
            _current = target;
        }
    }

    /// <summary>Produces the next sample's value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Next()
    {
        if (_current == _target) return _current;
        if (_config.Kind == SmootherKind.Linear)
        {
            if (--_remaining <= 0)
            {
                _remaining = 0;
                _current = _target;
            }
            else
            {
                // Same closed form as Advance so per-sample and block stepping agree bit for bit.
                _current = _target - _step * _remaining;
            }
        }
        else
        {
            _current = _target + (_current - _target) * _config.PoleCoefficient;
            SnapIfArrived();
        }
        return _current;
    }

    /// <summary>
    /// Advances by <paramref name="samples"/> samples in O(1) and returns the value of the last of them.
    /// Equal to calling <see cref="Next"/> that many times (up to rounding of the closed form).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Advance(int samples)
    {
        if (samples <= 0 || _current == _target) return _current;
        if (_config.Kind == SmootherKind.Linear)
        {
            if (samples >= _remaining)
            {
                _remaining = 0;
                _current = _target;
            }
            else
            {
                _remaining -= samples;
                // Computed from the target so the remaining distance stays an exact multiple of the step.
                _current = _target - _step * _remaining;
            }
        }
        else
        {
            _current = _target + (_current - _target) * _decay.Get(_config.PoleCoefficient, samples);
            SnapIfArrived();
        }
        return _current;
    }

    /// <summary>Writes one value per sample into <paramref name="destination"/> and advances by its length.</summary>
    public void Fill(Span<double> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = Next();
    }

    /// <summary>As <see cref="Fill(Span{double})"/>, rounded to float.</summary>
    public void Fill(Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = (float)Next();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SnapIfArrived()
    {
        if (Math.Abs(_current - _target) <= _config.ArrivalTolerance) _current = _target;
    }
}

/// <summary>
/// pole^n for a one-pole smoother stepped n samples at a time. Sub-blocks repeat the same few lengths (1, 31, 32): the
/// last two powers are kept instead of calling pow each time. Two, because a block whose first segment is 63 frames long
/// walks 32, 31, then 32 again: with one entry every such block paid two pow calls per smoother (a few percent of an
/// automated GainEQ block). One cache per pole (default: empty).
/// </summary>
internal struct PoleDecayCache
{
    private int _samples, _samples2;
    private double _power, _power2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Get(double pole, int samples)
    {
        if (samples == 1) return pole;
        if (samples == _samples) return _power;
        return Miss(pole, samples);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private double Miss(double pole, int samples)
    {
        if (samples == _samples2)
        {
            (_samples, _samples2) = (_samples2, _samples);
            (_power, _power2) = (_power2, _power);
            return _power;
        }
        _samples2 = _samples;
        _power2 = _power;
        _power = Math.Pow(pole, samples);
        _samples = samples;
        return _power;
    }
}
