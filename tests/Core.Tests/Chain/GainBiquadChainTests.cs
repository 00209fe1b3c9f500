using System.Numerics;
using NPlug.Buffers.Chain;
using NPlug.Buffers.Dsp;

namespace NPlug.Buffers.Tests.Chain;

public class GainBiquadChainTests
{
    private const double Rate = 48000;
    private const int MaxFrames = 512;

    private static readonly FilterType[] Types = [FilterType.LowShelf, FilterType.Peaking, FilterType.Peaking, FilterType.HighShelf];

    /// <summary>Band centre frequencies: a full-range set, and a mid-range set for the float 1e-5 bound.</summary>
    private static readonly double[] FullRange = [120, 700, 2500, 9000];
    private static readonly double[] MidRange = [500, 1200, 3000, 8000];

    private static double[] InitialValues(int bands, double[] freqs)
    {
        var v = new double[ChainAutomation.ParameterCountFor(bands)];
        for (int p = 0; p < v.Length; p++) v[p] = ChainParameterRanges.DefaultValue(p);
        v[(int)ChainParameter.GainDb] = -3;
        for (int b = 0; b < bands; b++)
        {
            v[ChainAutomation.BandParameter(b, BandField.Type)] = (double)Types[b];
            v[ChainAutomation.BandParameter(b, BandField.FrequencyHz)] = freqs[b];
            v[ChainAutomation.BandParameter(b, BandField.Q)] = 0.9;
            v[ChainAutomation.BandParameter(b, BandField.GainDb)] = b % 2 == 0 ? 4 : -5;
            v[ChainAutomation.BandParameter(b, BandField.Enabled)] = 1;
        }
        return v;
    }

    private static GainBiquadChain<T> NewChain<T>(ChainSettings settings, double[] initial, int channels)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var chain = new GainBiquadChain<T>(settings);
        chain.Prepare(Rate, MaxFrames, channels);
        for (int p = 0; p < initial.Length; p++) chain.SetParameter(p, initial[p]);
        return chain;
    }

    /// <summary>Random automation: gain and the continuous band parameters get 0..3 points per block.</summary>
    private static List<(int, double)>[] RandomPoints(Random rng, int parameters, int frames, int bands, double[] freqs, double maxQ)
    {
        var points = new List<(int, double)>[parameters];
        for (int p = 0; p < parameters; p++) points[p] = [];
        void Queue(int p, double lo, double hi)
        {
            int count = rng.Next(0, 4);
            var offsets = new List<int>();
            for (int i = 0; i < count; i++) offsets.Add(rng.Next(0, frames));
            offsets.Sort();
            foreach (int o in offsets) points[p].Add((o, lo + (hi - lo) * rng.NextDouble()));
        }
        Queue((int)ChainParameter.GainDb, -24, 6);
        for (int b = 0; b < bands; b++)
        {
            double f = freqs[b];
            Queue(ChainAutomation.BandParameter(b, BandField.FrequencyHz), f * 0.7, f * 1.4);
            Queue(ChainAutomation.BandParameter(b, BandField.Q), 0.5, maxQ);
            Queue(ChainAutomation.BandParameter(b, BandField.GainDb), -9, 9);
        }
        return points;
    }

    public static TheoryData<SmootherKind, double> SmoothingCases => new()
    {
        { SmootherKind.OnePole, 0.003 },
        { SmootherKind.Linear, 0.002 },
        { SmootherKind.OnePole, 0.0 },
    };

    [Theory]
    [MemberData(nameof(SmoothingCases))]
    public void FloatChainMatchesDoubleScalarReferenceWithAutomation(SmootherKind kind, double seconds) =>
        CompareWithReference<float>(kind, seconds, 1e-5, FullRange, 2);

    [Theory]
    [MemberData(nameof(SmoothingCases))]
    public void FloatChainMatchesWithMidRangeBands(SmootherKind kind, double seconds) =>
        CompareWithReference<float>(kind, seconds, 1e-5, MidRange, 1.2);

    [Theory]
    [MemberData(nameof(SmoothingCases))]
    public void DoubleChainMatchesDoubleScalarReferenceWithAutomation(SmootherKind kind, double seconds) =>
        CompareWithReference<double>(kind, seconds, 1e-12, FullRange, 2);

    private static void CompareWithReference<T>(SmootherKind kind, double seconds, double tolerance, double[] freqs, double maxQ)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        const int channels = 2, bands = 4;
        var settings = new ChainSettings { BandCount = bands, SmoothingKind = kind, SmoothingSeconds = seconds };
        var initial = InitialValues(bands, freqs);
        var chain = NewChain<T>(settings, initial, channels);
        var reference = new ReferenceChain(settings, Rate, channels, initial, Types, roundToSingle: typeof(T) == typeof(float));
        var automation = new ChainAutomation(bands);
        var buffer = new PlanarBuffer<T>(channels, MaxFrames);
        var rng = new Random(kind == SmootherKind.Linear ? 5 : seconds == 0 ? 6 : 7);
        double worst = 0;

        for (int block = 0; block < 40; block++)
        {
            int frames = block % 5 == 4 ? rng.Next(1, 40) : rng.Next(64, MaxFrames + 1);
            var input = new double[channels][];
            for (int c = 0; c < channels; c++)
            {
                input[c] = new double[frames];
                for (int n = 0; n < frames; n++)
                {
                    // Values exactly representable in float, so both chains see the same input.
                    input[c][n] = (float)(0.3 * Math.Sin(0.031 * (block * MaxFrames + n) * (c + 1)) + 0.2 * (rng.NextDouble() - 0.5));
                    buffer.Channels[c][n] = T.CreateTruncating(input[c][n]);
                }
            }
            var points = RandomPoints(rng, initial.Length, frames, bands, freqs, maxQ);
            automation.Clear();
            for (int p = 0; p < points.Length; p++)
                foreach (var (o, v) in points[p]) Assert.True(automation.AddPoint(p, o, v));

            var block1 = buffer.Block(frames);
            Assert.True(chain.Process(block1, block1, AudioBlock<T>.Empty, automation));
            var expected = reference.Process(input, frames, points);

            for (int c = 0; c < channels; c++)
            for (int n = 0; n < frames; n++)
            {
                double diff = Math.Abs(double.CreateTruncating(buffer.Channels[c][n]) - expected[c][n]);
                worst = Math.Max(worst, diff);
                Assert.True(diff <= tolerance, $"block {block} ch {c} n {n}: {buffer.Channels[c][n]} vs {expected[c][n]} (diff {diff})");
            }
        }
        Assert.True(worst > 0 || typeof(T) == typeof(double));
    }

    [Fact]
    public void ABandRampThatEndsOnItsOldValueIsStillFollowed()
    {
        // Segment [0, 65) runs 1300 -> 1198.4375 Hz, so its last sample (64) sits exactly on the 1200 Hz the band
        // already has while its first sub-blocks do not: judging "moving" by the last sample alone would miss it.
        const int bands = 4, frames = 400;
        var settings = new ChainSettings { BandCount = bands, SmoothingSeconds = 0 };
        var initial = InitialValues(bands, MidRange);
        var chain = NewChain<double>(settings, initial, 1);
        var reference = new ReferenceChain(settings, Rate, 1, initial, Types, roundToSingle: false);
        int fi = ChainAutomation.BandParameter(1, BandField.FrequencyHz);
        var points = new List<(int, double)>[initial.Length];
        for (int p = 0; p < points.Length; p++) points[p] = [];
        Assert.Equal(1200, initial[fi]);
        points[fi].Add((0, 1300));
        points[fi].Add((65, 1198.4375));
        points[fi].Add((200, 1200));
        var automation = new ChainAutomation(bands);
        foreach (var (o, v) in points[fi]) automation.AddPoint(fi, o, v);
        var buffer = new PlanarBuffer<double>(1, MaxFrames);
        var input = new double[1][];
        input[0] = new double[frames];
        for (int n = 0; n < frames; n++) buffer.Channels[0][n] = input[0][n] = Math.Sin(0.3 * n);
        chain.Process(buffer.Block(frames), buffer.Block(frames), AudioBlock<double>.Empty, automation);
        var expected = reference.Process(input, frames, points);
        for (int n = 0; n < frames; n++) Assert.True(Math.Abs(buffer.Channels[0][n] - expected[0][n]) < 1e-12, $"n {n}");
    }

    [Fact]
    public void BandSwitchedOnByAutomationActsFromItsSegmentStart()
    {
        var on = new GainBiquadChain<double>(new ChainSettings { BandCount = 2 });
        var off = new GainBiquadChain<double>(new ChainSettings { BandCount = 2 });
        foreach (var c in new[] { on, off })
        {
            c.Prepare(Rate, MaxFrames, 1);
            c.SetBandParameter(1, BandField.Type, (double)FilterType.HighPass);
            c.SetBandParameter(1, BandField.FrequencyHz, 5000);
        }
        var automation = new ChainAutomation(2);
        automation.AddBandPoint(1, BandField.Enabled, 100, 1);
        var a = new PlanarBuffer<double>(1, MaxFrames);
        var b = new PlanarBuffer<double>(1, MaxFrames);
        for (int n = 0; n < MaxFrames; n++) a.Channels[0][n] = b.Channels[0][n] = Math.Sin(0.01 * n);
        on.Process(a.Block(), a.Block(), AudioBlock<double>.Empty, automation);
        off.Process(b.Block(), b.Block(), AudioBlock<double>.Empty, null);
        for (int n = 0; n < 100; n++) Assert.Equal(b.Channels[0][n], a.Channels[0][n]);
        // A 76 Hz sine through a 5 kHz high-pass: the band's output is far below the input once it is on.
        double rmsOn = 0, rmsOff = 0;
        for (int n = 200; n < MaxFrames; n++) { rmsOn += a.Channels[0][n] * a.Channels[0][n]; rmsOff += b.Channels[0][n] * b.Channels[0][n]; }
        Assert.True(rmsOn < rmsOff * 1e-3, $"{rmsOn} vs {rmsOff}");
        Assert.True(on.GetParameter(ChainAutomation.BandParameter(1, BandField.Enabled)) >= 0.5);
    }

    [Fact]
    public void GainAutomationLandsOnTheExactSample()
    {
        // No smoothing, no bands: the gain at the last sample of every sub-block is exactly the automation value.
        var settings = new ChainSettings { BandCount = 0, SmoothingSeconds = 0 };
        var chain = new GainBiquadChain<double>(settings);
        chain.Prepare(Rate, MaxFrames, 1);
        var automation = new ChainAutomation(0);
        var buffer = new PlanarBuffer<double>(1, MaxFrames);
        Array.Fill(buffer.Channels[0], 1.0);
        automation.AddPoint(ChainParameter.GainDb, 100, -20);   // ramp 0 dB -> -20 dB over [0, 100]
        automation.AddPoint(ChainParameter.GainDb, 300, -20);
        automation.AddPoint(ChainParameter.GainDb, 300, 0);     // step at 300
        chain.Process(buffer.Block(), buffer.Block(), AudioBlock<double>.Empty, automation);
        var y = buffer.Channels[0];
        // Every change point and every sub-block end carries the automation's exact value.
        Assert.Equal(1.0, y[0], 12);
        Assert.Equal(0.1, y[100], 12);
        Assert.Equal(0.1, y[299], 12);
        Assert.Equal(1.0, y[300], 12);
        Assert.Equal(1.0, y[511], 12);
        foreach (int n in new[] { 31, 32, 63, 64, 95, 96, 99 })
            Assert.Equal(Math.Pow(10, (-20.0 * n / 100) / 20), y[n], 12);
        // In between, the gain is monotonic along the ramp.
        for (int n = 1; n < 100; n++) Assert.True(y[n] < y[n - 1]);
    }

    [Theory]
    [InlineData(12.0)]
    [InlineData(6.0)]
    public void LoudSidechainDucksByTheDepth(double depth)
    {
        var chain = new GainBiquadChain<float>(new ChainSettings { BandCount = 4 });
        chain.Prepare(Rate, MaxFrames, 2);
        chain.SetParameter(ChainParameter.DuckDepthDb, depth);
        chain.SetParameter(ChainParameter.KeyFrequencyHz, 100);
        var main = new PlanarBuffer<float>(2, MaxFrames);
        var dry = new PlanarBuffer<float>(2, MaxFrames);
        var side = new PlanarBuffer<float>(2, MaxFrames);
        double inEnergy = 0, outEnergy = 0;
        for (int block = 0; block < 30; block++)
        {
            for (int n = 0; n < MaxFrames; n++)
            {
                int t = block * MaxFrames + n;
                for (int c = 0; c < 2; c++)
                {
                    main.Channels[c][n] = dry.Channels[c][n] = (float)(0.5 * Math.Sin(2 * Math.PI * 440 * t / Rate + c));
                    side.Channels[c][n] = (float)(0.9 * Math.Sin(2 * Math.PI * 1000 * t / Rate));
                }
            }
            chain.Process(dry.Block(), main.Block(), side.Block(), null);
            if (block >= 10)
            {
                for (int c = 0; c < 2; c++)
                for (int n = 0; n < MaxFrames; n++)
                {
                    inEnergy += (double)dry.Channels[c][n] * dry.Channels[c][n];
                    outEnergy += (double)main.Channels[c][n] * main.Channels[c][n];
                }
            }
        }
        double reductionDb = -10 * Math.Log10(outEnergy / inEnergy);
        Assert.InRange(reductionDb, depth - 0.1, depth + 0.1);
        Assert.InRange(chain.GainReductionDb, depth - 0.1, depth + 0.1);

        // Sidechain gone: after ~18 release time constants the ducker is back at no reduction.
        for (int block = 0; block < 250; block++) chain.Process(dry.Block(), main.Block(), AudioBlock<float>.Empty, null);
        Assert.InRange(chain.GainReductionDb, 0, 0.05);
    }

    [Fact]
    public void SidechainBelowTheKeyFrequencyDucksLess()
    {
        double Reduction(double sideHz)
        {
            var chain = new GainBiquadChain<double>(new ChainSettings { BandCount = 0 });
            chain.Prepare(Rate, MaxFrames, 1);
            chain.SetParameter(ChainParameter.DuckDepthDb, 24);
            chain.SetParameter(ChainParameter.KeyFrequencyHz, 2000);
            var main = new PlanarBuffer<double>(1, MaxFrames);
            var side = new PlanarBuffer<double>(1, MaxFrames);
            for (int block = 0; block < 20; block++)
            {
                for (int n = 0; n < MaxFrames; n++)
                {
                    main.Channels[0][n] = 0.5;
                    side.Channels[0][n] = 0.05 * Math.Sin(2 * Math.PI * sideHz * (block * MaxFrames + n) / Rate);
                }
                chain.Process(main.Block(), main.Block(), side.Block(), null);
            }
            return chain.GainReductionDb;
        }
        // 50 Hz is ~64 dB below the 2 kHz high-pass; 8 kHz passes. -26 dBFS is 14 dB over the -40 dB threshold.
        Assert.True(Reduction(50) < 0.5, $"50 Hz: {Reduction(50)}");
        Assert.InRange(Reduction(8000), 14, 24);
    }

    [Fact]
    public void AutomatedKeyFrequencyRetunesTheDetector()
    {
        var chain = new GainBiquadChain<float>(new ChainSettings { BandCount = 0 });
        chain.Prepare(Rate, MaxFrames, 1, sidechainChannels: 1);
        chain.SetParameter(ChainParameter.DuckDepthDb, 12);
        var main = new PlanarBuffer<float>(1, MaxFrames);
        var side = new PlanarBuffer<float>(1, MaxFrames);
        var automation = new ChainAutomation(0);
        double before = 0;
        for (int block = 0; block < 300; block++)
        {
            for (int n = 0; n < MaxFrames; n++)
            {
                main.Channels[0][n] = 0.5f;
                side.Channels[0][n] = (float)(0.9 * Math.Sin(2 * Math.PI * 1000 * (block * MaxFrames + n) / Rate));
            }
            automation.Clear();
            if (block == 20) automation.AddPoint(ChainParameter.KeyFrequencyHz, 100, 15000);
            chain.Process(main.Block(), main.Block(), side.Block(), automation);
            if (block == 19) before = chain.GainReductionDb;
        }
        Assert.InRange(before, 11.9, 12.0);                  // 1 kHz passes a 100 Hz key: full depth
        Assert.InRange(chain.GainReductionDb, 0, 0.1);         // 1 kHz is ~55 dB down at a 15 kHz key: released
        Assert.Equal(15000, chain.GetParameter((int)ChainParameter.KeyFrequencyHz));
    }

    [Fact]
    public void BypassCrossfadesWithoutASteps()
    {
        const int frames = 256;
        var chain = new GainBiquadChain<float>(new ChainSettings { BandCount = 1 });
        chain.Prepare(Rate, frames, 1);
        chain.SetParameter(ChainParameter.GainDb, 6);
        chain.SetBandParameter(0, BandField.Type, (double)FilterType.LowPass);
        chain.SetBandParameter(0, BandField.FrequencyHz, 300);
        chain.SetBandParameter(0, BandField.Enabled, 1);
        var buffer = new PlanarBuffer<float>(1, frames);
        var automation = new ChainAutomation(1);
        var dry = new List<float>();
        var output = new List<float>();
        for (int block = 0; block < 40; block++)
        {
            for (int n = 0; n < frames; n++)
            {
                float x = (float)(0.5 * Math.Sin(2 * Math.PI * 1500 * (block * frames + n) / Rate));
                buffer.Channels[0][n] = x;
                dry.Add(x);
            }
            automation.Clear();
            if (block == 10) automation.AddPoint(ChainParameter.Bypass, 77, 1);
            if (block == 25) automation.AddPoint(ChainParameter.Bypass, 3, 0);
            chain.Process(buffer.Block(), buffer.Block(), AudioBlock<float>.Empty, automation);
            output.AddRange(buffer.Channels[0]);
        }
        // The wet signal alone: same chain, never bypassed.
        var wetChain = new GainBiquadChain<float>(new ChainSettings { BandCount = 1 });
        wetChain.Prepare(Rate, frames, 1);
        wetChain.SetParameter(ChainParameter.GainDb, 6);
        wetChain.SetBandParameter(0, BandField.Type, (double)FilterType.LowPass);
        wetChain.SetBandParameter(0, BandField.FrequencyHz, 300);
        wetChain.SetBandParameter(0, BandField.Enabled, 1);
        var wet = new List<float>();
        for (int block = 0; block < 40; block++)
        {
            for (int n = 0; n < frames; n++) buffer.Channels[0][n] = dry[block * frames + n];
            wetChain.Process(buffer.Block(), buffer.Block(), AudioBlock<float>.Empty, null);
            wet.AddRange(buffer.Channels[0]);
        }

        static double MaxStep(List<float> s, int from)
        {
            double m = 0;
            for (int i = from + 1; i < s.Count; i++) m = Math.Max(m, Math.Abs(s[i] - s[i - 1]));
            return m;
        }
        int start = 5 * frames; // past the low-pass start-up transient
        double signalStep = Math.Max(MaxStep(dry, start), MaxStep(wet, start));
        double maxDifference = 0;
        for (int i = start; i < dry.Count; i++) maxDifference = Math.Max(maxDifference, Math.Abs(dry[i] - wet[i]));
        int fadeSamples = (int)Math.Round(0.010 * Rate);
        Assert.True(maxDifference > 5 * signalStep, "wet and dry must differ enough for a hard switch to show");
        double allowed = signalStep + maxDifference / fadeSamples * 1.01 + 1e-6;
        Assert.True(MaxStep(output, start) <= allowed, $"max step {MaxStep(output, start)} > {allowed}");

        // Fully bypassed output is the input exactly; un-bypassed it is the wet signal again.
        for (int i = 20 * frames; i < 24 * frames; i++) Assert.Equal(dry[i], output[i]);
        for (int i = 30 * frames; i < 40 * frames; i++) Assert.Equal(wet[i], output[i], 1e-6f);
    }

    [Fact]
    public void OutputIsFiniteAfterANaNBlock()
    {
        var chain = new GainBiquadChain<float>(new ChainSettings { BandCount = 4 });
        chain.Prepare(Rate, MaxFrames, 2);
        for (int b = 0; b < 4; b++) chain.SetBandParameter(b, BandField.Enabled, 1);
        chain.SetParameter(ChainParameter.DuckDepthDb, 10);
        var main = new PlanarBuffer<float>(2, MaxFrames);
        var side = new PlanarBuffer<float>(2, MaxFrames);
        void Fill(int block, bool poison)
        {
            for (int c = 0; c < 2; c++)
            for (int n = 0; n < MaxFrames; n++)
            {
                main.Channels[c][n] = (float)Math.Sin(0.05 * (block * MaxFrames + n));
                side.Channels[c][n] = 0.5f;
            }
            if (poison)
            {
                main.Channels[0][100] = float.NaN;
                main.Channels[1][7] = float.PositiveInfinity;
                side.Channels[0][50] = float.NaN;
            }
        }
        Fill(0, false);
        chain.Process(main.Block(), main.Block(), side.Block(), null);
        Fill(1, true);
        chain.Process(main.Block(), main.Block(), side.Block(), null);
        foreach (var ch in main.Channels) Assert.All(ch, x => Assert.True(float.IsFinite(x)));
        Assert.True(double.IsFinite(chain.GainReductionDb));
        Fill(2, false);
        chain.Process(main.Block(), main.Block(), side.Block(), null);
        foreach (var ch in main.Channels)
        {
            Assert.All(ch, x => Assert.True(float.IsFinite(x)));
            Assert.True(ch.Max(Math.Abs) > 0.05f, "the channel recovered instead of staying silent");
        }
        Assert.True(double.IsFinite(chain.OutputPeak) && chain.OutputPeak > 0);
    }

    [Fact]
    public void InPlaceEqualsOutOfPlaceAndMonoFeedsStereo()
    {
        var a = new GainBiquadChain<double>();
        var b = new GainBiquadChain<double>();
        a.Prepare(Rate, MaxFrames, 2);
        b.Prepare(Rate, MaxFrames, 2);
        foreach (var chain in new[] { a, b })
        {
            chain.SetParameter(ChainParameter.GainDb, -4);
            chain.SetBandParameter(1, BandField.Enabled, 1);
            chain.SetBandParameter(1, BandField.GainDb, 8);
        }
        var automation = new ChainAutomation();
        automation.AddPoint(ChainParameter.GainDb, 200, 3);
        automation.AddBandPoint(1, BandField.FrequencyHz, 300, 1200);
        var inPlace = new PlanarBuffer<double>(2, MaxFrames);
        var mono = new PlanarBuffer<double>(1, MaxFrames);
        var outOfPlace = new PlanarBuffer<double>(2, MaxFrames);
        for (int n = 0; n < MaxFrames; n++)
            inPlace.Channels[0][n] = inPlace.Channels[1][n] = mono.Channels[0][n] = Math.Sin(n * 0.1);
        a.Process(inPlace.Block(), inPlace.Block(), AudioBlock<double>.Empty, automation);
        b.Process(mono.Block(), outOfPlace.Block(), AudioBlock<double>.Empty, automation);
        for (int c = 0; c < 2; c++) Assert.Equal(inPlace.Channels[c], outOfPlace.Channels[c]);
        Assert.Equal(Math.Sin(5 * 0.1), mono.Channels[0][5]); // input untouched
    }

    [Fact]
    public void BadBlocksAreRefusedSafely()
    {
        var chain = new GainBiquadChain<float>();
        var buffer = new PlanarBuffer<float>(2, 1024);
        Array.Fill(buffer.Channels[0], 1f);
        Assert.False(chain.Process(buffer.Block(64), buffer.Block(64), AudioBlock<float>.Empty, null)); // unprepared
        chain.Prepare(Rate, 512, 2);
        Array.Fill(buffer.Channels[0], 1f);
        Assert.False(chain.Process(buffer.Block(1024), buffer.Block(1024), AudioBlock<float>.Empty, null)); // oversize
        Assert.All(buffer.Channels[0], x => Assert.Equal(0f, x));
        Assert.True(chain.Process(buffer.Block(0), buffer.Block(0), AudioBlock<float>.Empty, null));
        var automation = new ChainAutomation(4, 2);
        for (int i = 0; i < 100; i++) automation.AddPoint(ChainParameter.GainDb, i * 7 - 50, double.NaN);
        automation.AddPoint(99, 0, 1);
        Assert.True(chain.Process(buffer.Block(256), buffer.Block(256), AudioBlock<float>.Empty, automation));
        Assert.True(double.IsFinite(chain.GetParameter((int)ChainParameter.GainDb)));
    }

    [Fact]
    public void ProcessAllocatesNothingOver10000AutomatedBlocks()
    {
        var state = new AllocationState();
        Assert.Equal(0, AllocationProbe.BytesAllocated(state, static s => s.Run(), 10000));
        var stateD = new AllocationState<double>();
        Assert.Equal(0, AllocationProbe.BytesAllocated(stateD, static s => s.Run(), 10000));
    }

    private sealed class AllocationState : AllocationState<float>;

    private class AllocationState<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        private readonly GainBiquadChain<T> _chain = new();
        private readonly ChainAutomation _automation = new();
        private readonly PlanarBuffer<T> _main = new(2, 256);
        private readonly PlanarBuffer<T> _side = new(2, 256);
        private int _block;

        public AllocationState()
        {
            _chain.Prepare(Rate, 256, 2);
            for (int b = 0; b < 4; b++) _chain.SetBandParameter(b, BandField.Enabled, 1);
            _chain.SetParameter(ChainParameter.DuckDepthDb, 6);
            for (int n = 0; n < 256; n++)
            {
                _side.Channels[0][n] = _side.Channels[1][n] = T.CreateTruncating(0.3 * Math.Sin(n * 0.2));
            }
        }

        public void Run()
        {
            int k = _block++;
            for (int c = 0; c < 2; c++)
                for (int n = 0; n < 256; n++) _main.Channels[c][n] = T.CreateTruncating(Math.Sin((n + k) * 0.01));
            _automation.Clear();
            _automation.AddPoint(ChainParameter.GainDb, 17, -6 + (k % 7));
            _automation.AddPoint(ChainParameter.GainDb, 200, -(k % 5));
            _automation.AddBandPoint(k % 4, BandField.FrequencyHz, 64, 300 + 50 * (k % 11));
            _automation.AddBandPoint((k + 1) % 4, BandField.GainDb, 128, (k % 9) - 4);
            _automation.AddPoint(ChainParameter.Bypass, 100, (k / 50) % 2);
            _automation.AddPoint(ChainParameter.DuckDepthDb, 30, 3 + (k % 6));
            _chain.Process(_main.Block(), _main.Block(), _side.Block(), _automation);
        }
    }

    [Fact]
    public void A_band_that_is_off_stays_off_when_its_type_is_automated()
    {
        // Band 0 off, a 12 dB low shelf at 1 kHz waiting in it; a type point mid-block (to a low-pass) must not switch it
        // on: the output stays the input (the other bands are 0 dB identities). Before the fix the redesign for the new
        // type also enabled the stage, so the low-pass filtered a band the user had switched off.
        var chain = new GainBiquadChain<double>(new ChainSettings { BandCount = 4 });
        chain.Prepare(48000, 512, 2);
        chain.SetBandParameter(0, BandField.Type, (double)FilterType.LowShelf);
        chain.SetBandParameter(0, BandField.FrequencyHz, 1000);
        chain.SetBandParameter(0, BandField.GainDb, 12);
        chain.SetBandParameter(0, BandField.Enabled, 0);
        using var buffer = new PlanarBuffer<double>(2, 512);
        var automation = new ChainAutomation(4, 8);
        var rng = new Random(3);
        for (int block = 0; block < 4; block++)
        {
            var input = new double[2, 512];
            for (int c = 0; c < 2; c++)
                for (int n = 0; n < 512; n++) buffer.Channels[c][n] = input[c, n] = rng.NextDouble() * 2 - 1;
            automation.Clear();
            if (block == 1) automation.AddPoint(ChainAutomation.BandParameter(0, BandField.Type), 200, (double)FilterType.LowPass);
            Assert.True(chain.Process(buffer.Block(512), buffer.Block(512), default, automation));
            for (int c = 0; c < 2; c++)
                for (int n = 0; n < 512; n++) Assert.True(input[c, n] == buffer.Channels[c][n], $"block {block} ch {c} n {n}");
        }

        // Switched on, it filters: the same shelf is audible (the type the automation left is the low-pass).
        automation.Clear();
        automation.AddPoint(ChainAutomation.BandParameter(0, BandField.Enabled), 0, 1);
        for (int n = 0; n < 512; n++) buffer.Channels[0][n] = buffer.Channels[1][n] = n % 2 == 0 ? 0.5 : -0.5; // Nyquist
        Assert.True(chain.Process(buffer.Block(512), buffer.Block(512), default, automation));
        Assert.True(Math.Abs(buffer.Channels[0][511]) < 0.01, $"a 1 kHz low-pass passes Nyquist at {buffer.Channels[0][511]}");
    }
}

public class GainBiquadChainNullChannelTests
{
    [Fact]
    public unsafe void NullChannelPointersAreSkippedOrSilent()
    {
        var chain = new GainBiquadChain<float>();
        chain.Prepare(48000, 64, 2);
        var automation = new ChainAutomation();
        automation.AddPoint(ChainParameter.Bypass, 10, 1); // exercise the crossfade path too
        var data = GC.AllocateArray<float>(64, pinned: true);
        var outData = GC.AllocateArray<float>(64, pinned: true);
        Array.Fill(data, 0.5f);
        Array.Fill(outData, 9f);
        var inPointers = GC.AllocateArray<nint>(2, pinned: true);
        var outPointers = GC.AllocateArray<nint>(2, pinned: true);
        inPointers[0] = 0;                                                    // null input channel 0
        inPointers[1] = (nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref data[0]);
        outPointers[0] = (nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref outData[0]);
        outPointers[1] = 0;                                                   // null output channel 1
        var input = new AudioBlock<float>((float**)System.Runtime.CompilerServices.Unsafe.AsPointer(ref inPointers[0]), 2, 64);
        var output = new AudioBlock<float>((float**)System.Runtime.CompilerServices.Unsafe.AsPointer(ref outPointers[0]), 2, 64);
        Assert.True(chain.Process(input, output, AudioBlock<float>.Empty, automation));
        Assert.All(outData, x => Assert.Equal(0f, x)); // null input reads as silence
    }
}

public class EnvelopeFollowerTests
{
    [Fact]
    public void AttackAndReleaseFollowTheirTimeConstants()
    {
        const double rate = 48000, attack = 0.002, release = 0.05;
        var e = new EnvelopeFollower(attack, release, rate);
        int na = (int)(attack * rate), nr = (int)(release * rate);
        double v = 0;
        for (int i = 0; i < na; i++) v = e.Process(1.0);
        Assert.Equal(1 - Math.Exp(-1), v, 6);
        for (int i = 0; i < 20 * na; i++) e.Process(1.0);
        double top = e.Value;
        for (int i = 0; i < nr; i++) v = e.Process(0.0);
        Assert.Equal(top * Math.Exp(-1), v, 6);
        var silent = new EnvelopeFollower(attack, release, rate);
        for (int i = 0; i < 21 * na; i++) silent.Process(1.0);
        Assert.Equal(v, silent.ProcessSilence(nr), 9);
    }

    [Fact]
    public void RmsModeReadsASineAsAmplitudeOverRootTwo()
    {
        var e = new EnvelopeFollower(0.2, 0.2, 48000, EnvelopeMode.Rms);
        var x = new float[48000];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(0.8 * Math.Sin(2 * Math.PI * 997 * i / 48000));
        double v = e.Process(new ReadOnlySpan<float>(x));
        // After 5 time constants the mean square is within e^-5 (0.7 %) of its final value.
        Assert.InRange(v, 0.8 / Math.Sqrt(2) * 0.99, 0.8 / Math.Sqrt(2) * 1.005);
    }

    [Fact]
    public void NonFiniteInputResetsInsteadOfLatching()
    {
        var e = new EnvelopeFollower(0.001, 0.01, 48000);
        e.Process(0.5);
        Assert.Equal(0, e.Process(new ReadOnlySpan<double>([double.NaN, 1.0])));
        Assert.True(e.Process(0.5) > 0);
    }
}
