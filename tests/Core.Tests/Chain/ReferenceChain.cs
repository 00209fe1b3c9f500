using NPlug.Buffers.Chain;
using NPlug.Buffers.Dsp;

namespace NPlug.Buffers.Tests.Chain;

/// <summary>
/// Double-precision, sample-by-sample model of the gain + EQ part of the chain, written from the documented
/// automation model rather than from the chain's code: per-sample curve evaluation, the sub-block grid rebuilt
/// from the raw point lists, smoothers stepped one sample at a time, gain interpolated per sample, direct-form-I
/// biquads per sample.
/// </summary>
internal sealed class ReferenceChain
{
    private readonly double _sampleRate;
    private readonly int _bands;
    private readonly ChainSettings _settings;
    private readonly double[] _current;
    private readonly ScalarSmoother _gain;
    private readonly ScalarSmoother[] _f, _q, _g;
    private readonly FilterType[] _types;
    private readonly double[,,] _state; // channel, band, {x1, x2, y1, y2}
    private readonly bool _roundToSingle;

    public ReferenceChain(ChainSettings settings, double sampleRate, int channels, double[] initialValues, FilterType[] types, bool roundToSingle)
    {
        _settings = settings;
        _roundToSingle = roundToSingle;
        _sampleRate = sampleRate;
        _bands = settings.BandCount;
        _current = (double[])initialValues.Clone();
        _types = types;
        _gain = new ScalarSmoother(settings, sampleRate, ChainParameterRanges.ClampGainDb(_current[0]));
        _f = new ScalarSmoother[_bands];
        _q = new ScalarSmoother[_bands];
        _g = new ScalarSmoother[_bands];
        for (int b = 0; b < _bands; b++)
        {
            _f[b] = new ScalarSmoother(settings, sampleRate, ChainParameterRanges.ClampFrequency(_current[Band(b, BandField.FrequencyHz)], sampleRate));
            _q[b] = new ScalarSmoother(settings, sampleRate, ChainParameterRanges.ClampQ(_current[Band(b, BandField.Q)]));
            _g[b] = new ScalarSmoother(settings, sampleRate, ChainParameterRanges.ClampBandGainDb(_current[Band(b, BandField.GainDb)]));
        }
        _state = new double[channels, _bands, 4];
    }

    private static int Band(int b, BandField f) => ChainAutomation.BandParameter(b, f);

    /// <summary>Processes one block; points[p] is parameter p's queue for this block.</summary>
    public double[][] Process(double[][] input, int frames, List<(int Offset, double Value)>[] points)
    {
        int parameters = _current.Length;
        var curves = new double[parameters][];
        var splits = new SortedSet<int> { 0, frames };
        for (int p = 0; p < parameters; p++)
        {
            curves[p] = AutomationSegmentsTests.ReferenceCurve(_current[p], points[p], frames);
            foreach (var (o, _) in points[p]) splits.Add(o);
        }

        var output = new double[input.Length][];
        for (int c = 0; c < input.Length; c++) output[c] = new double[frames];
        var coefficients = new BiquadCoefficients[_bands];
        for (int b = 0; b < _bands; b++) coefficients[b] = Design(b);

        var bounds = splits.ToArray();
        for (int k = 0; k + 1 < bounds.Length; k++)
        {
            for (int s = bounds[k]; s < bounds[k + 1]; s += 32)
            {
                int e = Math.Min(bounds[k + 1], s + 32);
                int len = e - s;
                double db0 = _gain.Run(ChainParameterRanges.ClampGainDb(curves[0][s]), 1);
                double db1 = len > 1 ? _gain.Run(ChainParameterRanges.ClampGainDb(curves[0][e - 1]), len - 1) : db0;
                double g0 = Math.Pow(10, db0 / 20), g1 = Math.Pow(10, db1 / 20);
                // A float chain necessarily ramps between float gain end points; the reference uses the same constants.
                if (_roundToSingle) { g0 = (float)g0; g1 = (float)g1; }
                for (int b = 0; b < _bands; b++)
                {
                    _f[b].Run(ChainParameterRanges.ClampFrequency(curves[Band(b, BandField.FrequencyHz)][e - 1], _sampleRate), len);
                    _q[b].Run(ChainParameterRanges.ClampQ(curves[Band(b, BandField.Q)][e - 1]), len);
                    _g[b].Run(ChainParameterRanges.ClampBandGainDb(curves[Band(b, BandField.GainDb)][e - 1]), len);
                    coefficients[b] = Design(b);
                }
                for (int n = s; n < e; n++)
                {
                    double gain = len == 1 ? g1 : g0 + (g1 - g0) * (n - s) / (len - 1);
                    for (int c = 0; c < input.Length; c++)
                    {
                        double x = input[c][n] * gain;
                        for (int b = 0; b < _bands; b++)
                        {
                            var co = coefficients[b];
                            double y = co.B0 * x + co.B1 * _state[c, b, 0] + co.B2 * _state[c, b, 1] - co.A1 * _state[c, b, 2] - co.A2 * _state[c, b, 3];
                            _state[c, b, 1] = _state[c, b, 0];
                            _state[c, b, 0] = x;
                            _state[c, b, 3] = _state[c, b, 2];
                            _state[c, b, 2] = y;
                            x = y;
                        }
                        output[c][n] = x;
                    }
                }
            }
        }
        for (int p = 0; p < parameters; p++) _current[p] = curves[p][frames - 1];
        return output;
    }

    private BiquadCoefficients Design(int b) => BiquadDesign.Design(_types[b], _f[b].Value, _q[b].Value, _g[b].Value, _sampleRate);

    /// <summary>Per-sample smoother: one-pole steps v = T + (v - T)·c and lands when within 1e-9; linear ramps in N steps.</summary>
    private sealed class ScalarSmoother(ChainSettings settings, double sampleRate, double initial)
    {
        private readonly bool _linear = settings.SmoothingKind == SmootherKind.Linear;
        private readonly double _samples = settings.SmoothingSeconds * sampleRate;
        private double _target = initial;
        private double _step;
        private int _remaining;

        public double Value { get; private set; } = initial;

        public double Run(double target, int samples)
        {
            if (target != _target)
            {
                _target = target;
                int n = (int)Math.Round(_samples);
                if (_linear)
                {
                    if (n <= 0) Value = target;
                    else { _remaining = n; _step = (target - Value) / n; }
                }
                else if (_samples < 1e-9) Value = target;
            }
            if (Value == _target) return Value;
            double c = Math.Exp(-1.0 / _samples);
            for (int i = 0; i < samples; i++)
            {
                if (_linear)
                {
                    if (--_remaining <= 0) { _remaining = 0; Value = _target; }
                    else Value = _target - _step * _remaining;
                }
                else
                {
                    Value = _target + (Value - _target) * c;
                }
            }
            if (!_linear && Math.Abs(Value - _target) <= 1e-9) Value = _target;
            return Value;
        }
    }
}
