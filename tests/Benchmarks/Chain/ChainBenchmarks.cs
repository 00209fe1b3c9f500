using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using NPlug.Buffers.Chain;
using NPlug.Buffers.Dsp;

namespace NPlug.Buffers.Benchmarks.Chain;

/// <summary>
/// Whole gain → 4-band EQ → ducking chain, stereo float, automation on (gain ramp, a moving band, moving duck depth,
/// loud sidechain). Each invoke processes 4096 frames in blocks of <see cref="Frames"/>, so the reported time is
/// ns per stereo frame. The baseline is the same chain written as a plain scalar per-sample loop.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public unsafe class ChainBenchmarks
{
    private const int TotalFrames = 4096;
    private const double Rate = 48000;

    [Params(128, 512, 1024)]
    public int Frames { get; set; }

    private GainBiquadChain<float> _chain = null!;
    private ChainAutomation _automation = null!;
    private ScalarChain _scalar = null!;
    private float[][] _main = null!, _side = null!;
    private nint[] _mainPointers = null!, _sidePointers = null!;
    private int _block;

    [GlobalSetup]
    public void Setup()
    {
        _chain = new GainBiquadChain<float>();
        _chain.Prepare(Rate, Frames, 2);
        for (int b = 0; b < 4; b++)
        {
            _chain.SetBandParameter(b, BandField.Enabled, 1);
            _chain.SetBandParameter(b, BandField.GainDb, b % 2 == 0 ? 3 : -3);
        }
        _chain.SetParameter(ChainParameter.DuckDepthDb, 6);
        _automation = new ChainAutomation();
        _scalar = new ScalarChain(Frames);
        _main = [Pinned(Frames), Pinned(Frames)];
        _side = [Pinned(Frames), Pinned(Frames)];
        _mainPointers = GC.AllocateArray<nint>(2, pinned: true);
        _sidePointers = GC.AllocateArray<nint>(2, pinned: true);
        for (int c = 0; c < 2; c++)
        {
            _mainPointers[c] = (nint)Unsafe.AsPointer(ref _main[c][0]);
            _sidePointers[c] = (nint)Unsafe.AsPointer(ref _side[c][0]);
            for (int n = 0; n < Frames; n++) _side[c][n] = (float)(0.5 * Math.Sin(0.13 * n));
        }
    }

    private static float[] Pinned(int n) => GC.AllocateArray<float>(n, pinned: true);

    private void FillInput()
    {
        for (int c = 0; c < 2; c++)
            for (int n = 0; n < Frames; n++) _main[c][n] = (float)(((n * 7 + c * 3) & 63) - 32) * (1f / 64);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = TotalFrames)]
    public float ScalarPerSampleChain()
    {
        float sum = 0;
        for (int done = 0; done < TotalFrames; done += Frames)
        {
            FillInput();
            int k = _block++;
            _scalar.Process(_main, _side, Frames, -6 + (k % 7), 300 + 50 * (k % 11), 3 + (k % 6));
            sum += _main[0][Frames - 1];
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = TotalFrames)]
    public float GainBiquadChain()
    {
        float sum = 0;
        var main = new AudioBlock<float>((float**)Unsafe.AsPointer(ref _mainPointers[0]), 2, Frames);
        var side = new AudioBlock<float>((float**)Unsafe.AsPointer(ref _sidePointers[0]), 2, Frames);
        for (int done = 0; done < TotalFrames; done += Frames)
        {
            FillInput();
            int k = _block++;
            _automation.Clear();
            _automation.AddPoint(ChainParameter.GainDb, Frames - 1, -6 + (k % 7));
            _automation.AddBandPoint(0, BandField.FrequencyHz, Frames - 1, 300 + 50 * (k % 11));
            _automation.AddPoint(ChainParameter.DuckDepthDb, Frames - 1, 3 + (k % 6));
            _chain.Process(main, main, side, _automation);
            sum += _main[0][Frames - 1];
        }
        return sum;
    }

    /// <summary>The chain with no automation points in any block: the cost of the automation machinery by difference.</summary>
    [Benchmark(OperationsPerInvoke = TotalFrames)]
    public float GainBiquadChainStatic()
    {
        float sum = 0;
        var main = new AudioBlock<float>((float**)Unsafe.AsPointer(ref _mainPointers[0]), 2, Frames);
        var side = new AudioBlock<float>((float**)Unsafe.AsPointer(ref _sidePointers[0]), 2, Frames);
        _automation.Clear();
        for (int done = 0; done < TotalFrames; done += Frames)
        {
            FillInput();
            _chain.Process(main, main, side, _automation);
            sum += _main[0][Frames - 1];
        }
        return sum;
    }

    // ---- Four bells (as GainEqPluginBenchmarks: 100/500/2k/8k Hz, ±6 dB, Q 1), no ducking, no sidechain ----

    private GainBiquadChain<float>? _bells;
    private ChainAutomation _bellAutomation = null!;
    private static readonly double[] BellFrequencies = [100, 500, 2000, 8000];
    private static readonly double[] BellGains = [6, -6, 6, -6];
    private const int BellAutomationStep = 64;
    private int _bellStep;

    private GainBiquadChain<float> Bells()
    {
        if (_bells is not null) return _bells;
        var chain = new GainBiquadChain<float>();
        chain.Prepare(Rate, Frames, 2);
        for (int b = 0; b < 4; b++)
        {
            chain.SetBandParameter(b, BandField.Type, (double)FilterType.Peaking);
            chain.SetBandParameter(b, BandField.FrequencyHz, BellFrequencies[b]);
            chain.SetBandParameter(b, BandField.GainDb, BellGains[b]);
            chain.SetBandParameter(b, BandField.Q, 1);
            chain.SetBandParameter(b, BandField.Enabled, 1);
        }
        _bellAutomation = new ChainAutomation();
        _bells = chain;
        return chain;
    }

    /// <summary>Four static bells: the cost the automated row below is measured against (same chain settings, no points).</summary>
    [Benchmark(OperationsPerInvoke = TotalFrames)]
    public float FourBellsStatic()
    {
        var chain = Bells();
        float sum = 0;
        var main = new AudioBlock<float>((float**)Unsafe.AsPointer(ref _mainPointers[0]), 2, Frames);
        _bellAutomation.Clear();
        for (int done = 0; done < TotalFrames; done += Frames)
        {
            FillInput();
            chain.Process(main, main, AudioBlock<float>.Empty, _bellAutomation);
            sum += _main[0][Frames - 1];
        }
        return sum;
    }

    /// <summary>
    /// The four bells with every band's frequency and gain getting a new point every 64 frames (GainEqPluginBenchmarks'
    /// Automated configuration at chain level): every band is redesigned per 32-frame sub-block and the cascade is
    /// called per sub-block. Automated ÷ static is the automation ratio without the plugin framework.
    /// </summary>
    [Benchmark(OperationsPerInvoke = TotalFrames)]
    public float FourBellsAllAutomated()
    {
        var chain = Bells();
        float sum = 0;
        var main = new AudioBlock<float>((float**)Unsafe.AsPointer(ref _mainPointers[0]), 2, Frames);
        for (int done = 0; done < TotalFrames; done += Frames)
        {
            FillInput();
            _bellAutomation.Clear();
            for (int b = 0; b < 4; b++)
            {
                for (int offset = BellAutomationStep - 1, k = _bellStep; offset < Frames; offset += BellAutomationStep, k++)
                {
                    double wobble = Wobble[(k + 16 * b) & 63];
                    _bellAutomation.AddBandPoint(b, BandField.FrequencyHz, offset, BellFrequencies[b] * (1 + 0.25 * wobble));
                    _bellAutomation.AddBandPoint(b, BandField.GainDb, offset, BellGains[b] * (1 + 0.5 * wobble));
                }
            }
            _bellStep += Frames / BellAutomationStep;
            chain.Process(main, main, AudioBlock<float>.Empty, _bellAutomation);
            sum += _main[0][Frames - 1];
        }
        return sum;
    }

    private static readonly double[] Wobble = Enumerable.Range(0, 64).Select(k => Math.Sin(2 * Math.PI * k / 64)).ToArray();

    /// <summary>
    /// The same signal path as a straightforward scalar implementation: per sample and channel a gain ramp, four
    /// direct-form-I biquads and the ducking gain; per 32 samples the moving parameters are re-evaluated.
    /// </summary>
    private sealed class ScalarChain
    {
        private readonly float[] _state = new float[2 * 4 * 4];
        private readonly float[] _keyState = new float[2 * 4];
        private readonly BiquadCoefficients[] _bands = new BiquadCoefficients[4];
        private readonly BiquadCoefficients _key = BiquadDesign.Design(FilterType.HighPass, 100, 0.707, 0, Rate);
        private readonly double _attack = Math.Exp(-1 / (0.005 * Rate)), _release = Math.Exp(-1 / (0.15 * Rate));
        private double _gainDb, _bandFreq = 100, _depth, _envelope, _gain = 1, _duck = 1;

        public ScalarChain(int frames)
        {
            for (int b = 0; b < 4; b++)
                _bands[b] = BiquadDesign.Design(FilterType.Peaking, 100 * Math.Pow(4, b), 0.707, b % 2 == 0 ? 3 : -3, Rate);
        }

        public void Process(float[][] main, float[][] side, int frames, double gainDb, double bandFreq, double depth)
        {
            double g0Db = _gainDb, f0 = _bandFreq, d0 = _depth;
            for (int s = 0; s < frames; s += 32)
            {
                int e = Math.Min(frames, s + 32);
                double t = (double)(e - 1) / (frames - 1);
                double gain1 = Math.Pow(10, (g0Db + (gainDb - g0Db) * t) / 20);
                _bands[0] = BiquadDesign.Design(FilterType.Peaking, f0 + (bandFreq - f0) * t, 0.707, 3, Rate);
                double d = d0 + (depth - d0) * t;
                for (int n = s; n < e; n++)
                {
                    float k0 = Biquad(_key, _keyState, 0, side[0][n]);
                    float k1 = Biquad(_key, _keyState, 4, side[1][n]);
                    double level = Math.Max(Math.Abs(k0), Math.Abs(k1));
                    _envelope = level + (_envelope - level) * (level > _envelope ? _attack : _release);
                }
                double levelDb = 20 * Math.Log10(Math.Max(_envelope, 1e-12));
                double duck1 = Math.Pow(10, -d * Math.Clamp((levelDb + 40) / 20, 0, 1) / 20);
                int len = e - s;
                for (int c = 0; c < 2; c++)
                {
                    float[] x = main[c];
                    for (int n = s; n < e; n++)
                    {
                        double a = (double)(n - s + 1) / len;
                        float v = x[n] * (float)(_gain + (gain1 - _gain) * a);
                        for (int b = 0; b < 4; b++) v = Biquad(_bands[b], _state, (c * 4 + b) * 4, v);
                        x[n] = v * (float)(_duck + (duck1 - _duck) * a);
                    }
                }
                _gain = gain1;
                _duck = duck1;
            }
            _gainDb = gainDb;
            _bandFreq = bandFreq;
            _depth = depth;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float Biquad(in BiquadCoefficients c, float[] st, int i, float x)
        {
            float y = (float)c.B0 * x + (float)c.B1 * st[i] + (float)c.B2 * st[i + 1] - (float)c.A1 * st[i + 2] - (float)c.A2 * st[i + 3];
            st[i + 1] = st[i];
            st[i] = x;
            st[i + 3] = st[i + 2];
            st[i + 2] = y;
            return y;
        }
    }
}
