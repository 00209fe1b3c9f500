using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using NPlug.Buffers.Chain;
using NPlug.Buffers.Dsp;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Hosting;
using NPlug.Buffers.Hosting.Com;

namespace NPlug.Buffers.Benchmarks.Plugin;

/// <summary>
/// GainEQ as a host sees it: the published NativeAOT bundle (artifacts/NPlug.Buffers.vst3) loaded through the host shim
/// (<see cref="PluginModule.Load"/>, <see cref="HostedPlugin"/>) and driven with one <c>process</c> call per invoke, at
/// 48 kHz, <see cref="Frames"/> frames per block (maxSamplesPerBlock 1024), pink-ish noise in. Beside it, in the same
/// run: the baseline plain gain plugin (tests/TestPlugin, NativeAOT, same shim, same ABI layer; <c>out = in · g</c>), and
/// the bare DSP called directly (<see cref="BiquadCascade{T}"/> with the same four bells and
/// <see cref="GainBiquadChain{T}"/>), each on the same frames with the same input copy the plugin does.
/// Mean = ns per block (one process call). Ratio = against the gain plugin, f32 stereo; the other ratios of the issue
/// (plugin / bare cascade, 128 vs 1024 per frame, automated / static, f64 / f32, 5.1 / stereo) are quotients of two rows
/// of one run (docs/PERFORMANCE.md).
/// </summary>
/// <remarks>
/// Configurations: FourBells = bands 1–4 Peaking at 100/500/2k/8k Hz, +6/−6/+6/−6 dB, Q 1; Defaults = every parameter at
/// its default (bands at 0 dB, duck depth 0), sidechain bus inactive, or active and fed with noise (Sidechain);
/// Automated = FourBells with every band's frequency and gain getting a new point every 64 frames.
/// Names and classes are stable so the figures can be re-taken after the framework port.
/// </remarks>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public unsafe class GainEqPluginBenchmarks
{
    private const double Rate = 48000;
    private const int MaxBlock = 1024;
    private const int AutomationStep = 64;

    // GainEQ parameter ids (src/Plugin/GainEq/GainEqParameters.cs; the ids are the plugin's public contract).
    private const uint BandBase = 10, BandStride = 10, BandType = 0, BandFrequency = 1, BandGain = 2, BandQ = 3;
    private static readonly double[] BellFrequencies = [100, 500, 2000, 8000];
    private static readonly double[] BellGains = [6, -6, 6, -6];
    private const double BellQ = 1;
    private const int PeakingIndex = 1; // "Peaking" in the band type list

    [Params(128, 1024)]
    public int Frames { get; set; }

    private PluginModule _gainEqModule = null!, _testGainModule = null!;
    private HostedPlugin _gain32 = null!, _gain64 = null!;
    private HostedPlugin _bells32 = null!, _bells64 = null!, _bells51 = null!, _defaults32 = null!, _defaultsSidechain32 = null!, _automated32 = null!;

    private BiquadCascade<float> _cascade = null!;
    private BiquadCascade<double> _cascade64 = null!;
    private GainBiquadChain<float> _chain = null!;
    // GainEQ's chain at defaults as GainEqDsp drives it: external scratch (none given: defaults need none), an empty
    // automation every block.
    private GainBiquadChain<float> _chainDefaults = null!;
    private ChainAutomation _emptyAutomation = null!;
    private float[][] _in32 = null!, _out32 = null!;
    private double[][] _in64 = null!, _out64 = null!;
    private nint[] _out32Pointers = null!, _in32Pointers = null!, _out64Pointers = null!;

    // Automation: per step k (one point every 64 frames), normalized frequency and gain per band.
    private double[,] _autoFrequency = null!, _autoGain = null!;
    private int _step;

    /// <summary>
    /// When set, GainEQ comes from this module instead of the bundle (the --rt-probe uses the in-process managed factory,
    /// so that <see cref="GC.GetAllocatedBytesForCurrentThread"/> sees the plugin's own managed allocations).
    /// </summary>
    public static Func<PluginModule>? OpenGainEq { get; set; }

    /// <summary>The GainEQ configurations, by benchmark method name (the --rt-probe runs each one).</summary>
    internal static readonly string[] GainEqConfigurations =
        [nameof(GainEq_FourBells_f32), nameof(GainEq_FourBells_f64), nameof(GainEq_FourBells_51_f32), nameof(GainEq_Defaults_f32),
         nameof(GainEq_Defaults_Sidechain_f32), nameof(GainEq_Automated_f32)];

    /// <summary>One process call of a configuration named as in <see cref="GainEqConfigurations"/>.</summary>
    internal int Run(string configuration) => configuration switch
    {
        nameof(GainEq_FourBells_f32) => GainEq_FourBells_f32(),
        nameof(GainEq_FourBells_f64) => GainEq_FourBells_f64(),
        nameof(GainEq_FourBells_51_f32) => GainEq_FourBells_51_f32(),
        nameof(GainEq_Defaults_f32) => GainEq_Defaults_f32(),
        nameof(GainEq_Defaults_Sidechain_f32) => GainEq_Defaults_Sidechain_f32(),
        nameof(GainEq_Automated_f32) => GainEq_Automated_f32(),
        _ => throw new ArgumentOutOfRangeException(nameof(configuration)),
    };

    [GlobalSetup]
    public void Setup()
    {
        PluginBundles.Require();
        _gainEqModule = OpenGainEq?.Invoke() ?? PluginModule.Load(PluginBundles.GainEqBundle);
        _testGainModule = PluginModule.Load(PluginBundles.TestGainBundle);

        _gain32 = Start(_testGainModule, SymbolicSampleSizes.Sample32);
        _gain64 = Start(_testGainModule, SymbolicSampleSizes.Sample64);
        _bells32 = Start(_gainEqModule, SymbolicSampleSizes.Sample32);
        _bells64 = Start(_gainEqModule, SymbolicSampleSizes.Sample64);
        _bells51 = Start(_gainEqModule, SymbolicSampleSizes.Sample32, surround: true);
        _defaults32 = Start(_gainEqModule, SymbolicSampleSizes.Sample32);
        _defaultsSidechain32 = Start(_gainEqModule, SymbolicSampleSizes.Sample32, sidechain: true);
        _automated32 = Start(_gainEqModule, SymbolicSampleSizes.Sample32);
        foreach (var p in new[] { _bells32, _bells64, _bells51, _automated32 }) SetFourBells(p);
        // A gain plugin at 0 dB would let a smart plugin skip its multiply; -6 dB keeps the baseline honest.
        foreach (var p in new[] { _gain32, _gain64 }) p.InputParameterChanges.AddPoint(0, 0, p.PlainToNormalized(0, -6));

        _autoFrequency = new double[64, 4];
        _autoGain = new double[64, 4];
        for (int k = 0; k < 64; k++)
        {
            for (int b = 0; b < 4; b++)
            {
                double wobble = Math.Sin(2 * Math.PI * (k + 16 * b) / 64);
                _autoFrequency[k, b] = _automated32.PlainToNormalized(BandId(b, BandFrequency), BellFrequencies[b] * (1 + 0.25 * wobble));
                _autoGain[k, b] = _automated32.PlainToNormalized(BandId(b, BandGain), BellGains[b] * (1 + 0.5 * wobble));
            }
        }

        // Direct baselines: the same bells, the same frames, the same input → output copy.
        _cascade = new BiquadCascade<float>(4, 6);
        _cascade64 = new BiquadCascade<double>(4, 2);
        for (int b = 0; b < 4; b++)
        {
            var c = BiquadDesign.Design(FilterType.Peaking, BellFrequencies[b], BellQ, BellGains[b], Rate);
            _cascade.SetStage(b, c);
            _cascade64.SetStage(b, c);
        }
        _chain = new GainBiquadChain<float>();
        _chain.Prepare(Rate, MaxBlock, 6);
        for (int b = 0; b < 4; b++)
        {
            _chain.SetBandParameter(b, BandField.Type, (double)FilterType.Peaking);
            _chain.SetBandParameter(b, BandField.FrequencyHz, BellFrequencies[b]);
            _chain.SetBandParameter(b, BandField.GainDb, BellGains[b]);
            _chain.SetBandParameter(b, BandField.Q, BellQ);
            _chain.SetBandParameter(b, BandField.Enabled, 1);
        }
        _chainDefaults = new GainBiquadChain<float>(ChainSettings.Default with { MaxPointsPerParameter = NPlug.Buffers.Plugin.GainEq.GainEqModel.PointsPerParameter });
        _chainDefaults.Prepare(Rate, MaxBlock, 2, 2, externalScratch: true);
        _emptyAutomation = new ChainAutomation(4, NPlug.Buffers.Plugin.GainEq.GainEqModel.PointsPerParameter);
        _in32 = new float[6][];
        _out32 = new float[6][];
        _in64 = new double[2][];
        _out64 = new double[2][];
        _in32Pointers = GC.AllocateArray<nint>(6, pinned: true);
        _out32Pointers = GC.AllocateArray<nint>(6, pinned: true);
        _out64Pointers = GC.AllocateArray<nint>(2, pinned: true);
        for (int c = 0; c < 6; c++)
        {
            _in32[c] = GC.AllocateArray<float>(MaxBlock, pinned: true);
            _out32[c] = GC.AllocateArray<float>(MaxBlock, pinned: true);
            PinkNoise(_in32[c], seed: c + 1);
            _in32Pointers[c] = (nint)Unsafe.AsPointer(ref _in32[c][0]);
            _out32Pointers[c] = (nint)Unsafe.AsPointer(ref _out32[c][0]);
        }
        for (int c = 0; c < 2; c++)
        {
            _in64[c] = GC.AllocateArray<double>(MaxBlock, pinned: true);
            _out64[c] = GC.AllocateArray<double>(MaxBlock, pinned: true);
            for (int n = 0; n < MaxBlock; n++) _in64[c][n] = _in32[c][n];
            _out64Pointers[c] = (nint)Unsafe.AsPointer(ref _out64[c][0]);
        }

        // Land every smoother (3 ms one-pole) before measuring.
        for (int i = 0; i < 200; i++)
        {
            GainPlugin_f32(); GainPlugin_f64(); GainEq_FourBells_f32(); GainEq_FourBells_f64(); GainEq_FourBells_51_f32();
            GainEq_Defaults_f32(); GainEq_Defaults_Sidechain_f32(); GainEq_Automated_f32(); Direct_GainBiquadChain_FourBells_f32();
            Direct_GainBiquadChain_Defaults_f32(); Direct_CopyAndPeak_f32(); Direct_CopyAndPeakBits_f32();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var p in new[] { _gain32, _gain64, _bells32, _bells64, _bells51, _defaults32, _defaultsSidechain32, _automated32 })
        {
            p.StopProcessing();
            p.Dispose();
        }
        _gainEqModule.Dispose();
        _testGainModule.Dispose();
    }

    private static uint BandId(int band, uint field) => BandBase + (uint)band * BandStride + field;

    private static HostedPlugin Start(PluginModule module, int sampleSize, bool sidechain = false, bool surround = false)
    {
        var plugin = module.CreatePlugin();
        if (surround)
        {
            int r = plugin.SetBusArrangements([SpeakerArrangements.K51, SpeakerArrangements.Stereo], [SpeakerArrangements.K51]);
            if (r != TResult.ResultOk) throw new InvalidOperationException($"setBusArrangements(5.1) refused: {TResult.NameOf(r)}");
        }
        plugin.ActivateDefaultBuses();
        if (sidechain && plugin.ActivateBus(MediaTypes.Audio, BusDirections.Input, 1, true) != TResult.ResultOk)
            throw new InvalidOperationException("The sidechain bus could not be activated.");
        plugin.StartProcessing(Rate, MaxBlock, sampleSize, activateDefaultBuses: false);
        var buffers = plugin.Buffers!;
        for (int bus = 0; bus < buffers.InputBusCount; bus++)
        {
            for (int c = 0; c < buffers.InputChannelCount(bus); c++)
            {
                var noise = new float[MaxBlock];
                PinkNoise(noise, seed: 10 * bus + c + 1);
                if (sampleSize == SymbolicSampleSizes.Sample64)
                    for (int n = 0; n < MaxBlock; n++) buffers.Input64(bus, c)[n] = noise[n];
                else
                    noise.CopyTo(buffers.Input32(bus, c));
            }
        }
        return plugin;
    }

    private static void SetFourBells(HostedPlugin p)
    {
        for (int b = 0; b < 4; b++)
        {
            p.InputParameterChanges.AddPoint(BandId(b, BandType), 0, p.PlainToNormalized(BandId(b, BandType), PeakingIndex));
            p.InputParameterChanges.AddPoint(BandId(b, BandFrequency), 0, p.PlainToNormalized(BandId(b, BandFrequency), BellFrequencies[b]));
            p.InputParameterChanges.AddPoint(BandId(b, BandGain), 0, p.PlainToNormalized(BandId(b, BandGain), BellGains[b]));
            p.InputParameterChanges.AddPoint(BandId(b, BandQ), 0, p.PlainToNormalized(BandId(b, BandQ), BellQ));
        }
    }

    /// <summary>Paul Kellet's economy pink filter over uniform white noise, about −12 dBFS peak.</summary>
    private static void PinkNoise(Span<float> destination, int seed)
    {
        var rng = new Random(seed);
        double b0 = 0, b1 = 0, b2 = 0;
        for (int n = 0; n < destination.Length; n++)
        {
            double white = rng.NextDouble() * 2 - 1;
            b0 = 0.99765 * b0 + white * 0.0990460;
            b1 = 0.96300 * b1 + white * 0.2965164;
            b2 = 0.57000 * b2 + white * 1.0526913;
            destination[n] = (float)(0.1 * (b0 + b1 + b2 + white * 0.1848));
        }
    }

    // ---- baselines ----

    [Benchmark(Baseline = true)]
    public int GainPlugin_f32() => _gain32.Process(Frames);

    [Benchmark]
    public int GainPlugin_f64() => _gain64.Process(Frames);

    [Benchmark]
    public int Direct_BiquadCascade_FourBells_f32()
    {
        for (int c = 0; c < 2; c++) _in32[c].AsSpan(0, Frames).CopyTo(_out32[c]);
        return _cascade.Process(new AudioBlock<float>((float**)Unsafe.AsPointer(ref _out32Pointers[0]), 2, Frames));
    }

    [Benchmark]
    public int Direct_BiquadCascade_FourBells_51_f32()
    {
        for (int c = 0; c < 6; c++) _in32[c].AsSpan(0, Frames).CopyTo(_out32[c]);
        return _cascade.Process(new AudioBlock<float>((float**)Unsafe.AsPointer(ref _out32Pointers[0]), 6, Frames));
    }

    [Benchmark]
    public int Direct_BiquadCascade_FourBells_f64()
    {
        for (int c = 0; c < 2; c++) _in64[c].AsSpan(0, Frames).CopyTo(_out64[c]);
        return _cascade64.Process(new AudioBlock<double>((double**)Unsafe.AsPointer(ref _out64Pointers[0]), 2, Frames));
    }

    [Benchmark]
    public bool Direct_GainBiquadChain_FourBells_f32() =>
        _chain.Process(new AudioBlock<float>((float**)Unsafe.AsPointer(ref _in32Pointers[0]), 2, Frames),
            new AudioBlock<float>((float**)Unsafe.AsPointer(ref _out32Pointers[0]), 2, Frames), AudioBlock<float>.Empty, null);

    /// <summary>GainEQ's chain at defaults called directly (what GainEqDsp.Process costs without the framework).</summary>
    [Benchmark]
    public bool Direct_GainBiquadChain_Defaults_f32() =>
        _chainDefaults.Process(new AudioBlock<float>((float**)Unsafe.AsPointer(ref _in32Pointers[0]), 2, Frames),
            new AudioBlock<float>((float**)Unsafe.AsPointer(ref _out32Pointers[0]), 2, Frames), AudioBlock<float>.Empty, _emptyAutomation,
            AudioBlock<float>.Empty);

    /// <summary>The data movement an identity chain cannot avoid: input → output copy and the output peak, stereo.</summary>
    [Benchmark]
    public float Direct_CopyAndPeak_f32()
    {
        float peak = 0;
        for (int c = 0; c < 2; c++)
        {
            var output = _out32[c].AsSpan(0, Frames);
            VectorKernels.Copy<float>(_in32[c].AsSpan(0, Frames), output);
            peak = Math.Max(peak, VectorKernels.Peak<float>(output));
        }
        return peak;
    }

    /// <summary>
    /// The same with the peak proposed for the chain's guard/meter pass: the maximum of |x|'s bit patterns as integers
    /// (one and + one integer max per vector; NaN bit patterns sort above +Inf, so the result is NaN/Inf exactly when
    /// a sample is, and equal to the IEEE maximum magnitude otherwise). Benchmark-only sketch, not in src.
    /// </summary>
    [Benchmark]
    public float Direct_CopyAndPeakBits_f32()
    {
        float peak = 0;
        for (int c = 0; c < 2; c++)
        {
            var output = _out32[c].AsSpan(0, Frames);
            VectorKernels.Copy<float>(_in32[c].AsSpan(0, Frames), output);
            float p = PeakBits(output);
            peak = p > peak || float.IsNaN(p) ? p : peak;
        }
        return peak;
    }

    private static float PeakBits(ReadOnlySpan<float> x)
    {
        ref int s = ref Unsafe.As<float, int>(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x));
        int n = x.Length, i = 0;
        var mask = Vector256.Create(0x7FFFFFFF);
        var a0 = Vector256<int>.Zero;
        var a1 = a0;
        for (; i + 16 <= n; i += 16)
        {
            a0 = Vector256.Max(a0, Vector256.LoadUnsafe(ref s, (nuint)i) & mask);
            a1 = Vector256.Max(a1, Vector256.LoadUnsafe(ref s, (nuint)(i + 8)) & mask);
        }
        var a = Vector256.Max(a0, a1);
        var h = Vector128.Max(a.GetLower(), a.GetUpper());
        h = Vector128.Max(h, Vector128.Shuffle(h, Vector128.Create(2, 3, 0, 1)));
        h = Vector128.Max(h, Vector128.Shuffle(h, Vector128.Create(1, 0, 3, 2)));
        int m = h.ToScalar();
        for (; i < n; i++) m = Math.Max(m, Unsafe.Add(ref s, i) & 0x7FFFFFFF);
        return BitConverter.Int32BitsToSingle(m);
    }

    // ---- GainEQ through the VST3 ABI ----

    [Benchmark]
    public int GainEq_FourBells_f32() => _bells32.Process(Frames);

    [Benchmark]
    public int GainEq_FourBells_f64() => _bells64.Process(Frames);

    [Benchmark]
    public int GainEq_FourBells_51_f32() => _bells51.Process(Frames);

    [Benchmark]
    public int GainEq_Defaults_f32() => _defaults32.Process(Frames);

    [Benchmark]
    public int GainEq_Defaults_Sidechain_f32() => _defaultsSidechain32.Process(Frames);

    [Benchmark]
    public int GainEq_Automated_f32()
    {
        AddAutomationPoints(_automated32.InputParameterChanges);
        return _automated32.Process(Frames);
    }

    /// <summary>
    /// The host's own share of <see cref="GainEq_Automated_f32"/>: the same points queued in the host shim's
    /// IParameterChanges, then cleared, without a process call. Automated minus this row is what the plugin spends.
    /// </summary>
    [Benchmark]
    public int HostQueues_Automated()
    {
        var changes = _automated32.InputParameterChanges;
        AddAutomationPoints(changes);
        int queues = changes.Count;
        changes.Clear();
        return queues;
    }

    private void AddAutomationPoints(HostParameterChanges changes)
    {
        int step = _step;
        for (int b = 0; b < 4; b++)
        {
            uint f = BandId(b, BandFrequency), g = BandId(b, BandGain);
            for (int offset = AutomationStep - 1, k = step; offset < Frames; offset += AutomationStep, k++)
            {
                changes.AddPoint(f, offset, _autoFrequency[k & 63, b]);
                changes.AddPoint(g, offset, _autoGain[k & 63, b]);
            }
        }
        _step = step + Frames / AutomationStep;
    }
}
