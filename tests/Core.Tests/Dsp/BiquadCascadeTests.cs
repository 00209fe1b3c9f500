using System.Numerics;
using NPlug.Buffers.Dsp;

namespace NPlug.Buffers.Tests.Dsp;

public class BiquadCascadeTests
{
    private const double Fs = 48_000;

    /// <summary>
    /// A random musical EQ band: any type, corner minHz .. 18 kHz, Q 0.3 .. maxQ, ±15 dB.
    /// </summary>
    /// <remarks>
    /// The defaults (40 Hz, Q 6) include low sharp bands whose poles sit within 5e−4 of z = 1. Their noise gain
    /// (~1e3..1e4) amplifies double rounding of ANY recursive form to ~1e−12 (a naive double DF-I loop reaches
    /// 1.5e−12 against the double-double reference), so the 1e−12 double comparison uses 300 Hz .. 18 kHz and
    /// Q ≤ 3; <see cref="DoubleError_OnLowSharpBands_StaysNearNaiveDoubleLoop"/> covers the rest.
    /// </remarks>
    private static BiquadCoefficients RandomStable(Random rng, double minHz = 40, double maxQ = 6)
    {
        var type = (FilterType)rng.Next(8);
        double f = minHz * Math.Pow(18_000.0 / minHz, rng.NextDouble());
        double q = 0.3 + rng.NextDouble() * (maxQ - 0.3);
        double g = rng.NextDouble() * 30 - 15;
        return BiquadDesign.Design(type, f, q, g, Fs);
    }

    // ---- Magnitude: steady-state sine through the cascade vs the analytic |H| ----------------------------

    public static TheoryData<FilterType> AllTypes()
    {
        var data = new TheoryData<FilterType>();
        foreach (FilterType t in Enum.GetValues<FilterType>()) data.Add(t);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void MeasuredMagnitude_MatchesAnalytic_Float(FilterType type) => MeasuredMagnitudeMatches<float>(type);

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void MeasuredMagnitude_MatchesAnalytic_Double(FilterType type) => MeasuredMagnitudeMatches<double>(type);

    private static void MeasuredMagnitudeMatches<T>(FilterType type) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        BiquadCoefficients c = BiquadDesign.Design(type, 2000, 1.2, 9, Fs);
        int measured = 0;
        // Integer frequencies over exactly one second: the sin/cos correlation below is then exact for a pure tone.
        foreach (double f in new[] { 110.0, 700, 1500, 2000, 2600, 5000, 11_000 })
        {
            // Skip deep stop-band points (the notch centre is −∞ dB): 0.05 dB there is below float resolution.
            if (BiquadDesign.MagnitudeDb(c, f, Fs) < -40) continue;
            measured++;
            var cascade = new BiquadCascade<T>(2, 1);
            cascade.SetStage(1, c);
            int n = (int)Fs;
            T[] block = new T[256];
            double sumSin = 0, sumCos = 0;
            for (int start = 0; start < 2 * n; start += block.Length)
            {
                for (int i = 0; i < block.Length; i++)
                    block[i] = T.CreateTruncating(Math.Sin(2 * Math.PI * f * (start + i) / Fs));
                cascade.Process(0, block);
                if (start < n) continue; // let the transient die out during the first second
                for (int i = 0; i < block.Length; i++)
                {
                    double phase = 2 * Math.PI * f * (start + i) / Fs;
                    double y = double.CreateTruncating(block[i]);
                    sumSin += y * Math.Sin(phase);
                    sumCos += y * Math.Cos(phase);
                }
            }

            double measuredDb = 20 * Math.Log10(2 * Math.Sqrt(sumSin * sumSin + sumCos * sumCos) / n);
            double expectedDb = BiquadDesign.MagnitudeDb(c, f, Fs);
            Assert.True(Math.Abs(measuredDb - expectedDb) <= 0.05, $"{type} at {f} Hz: measured {measuredDb:F4} dB, analytic {expectedDb:F4} dB");
        }

        Assert.True(measured >= 5, $"{type}: only {measured} frequencies measured");
    }

    // ---- SIMD path vs the double-precision scalar reference ---------------------------------------------

    [Fact] public void MatchesDoubleReference_Float() => MatchesReference<float>(1e-5, seed: 11, minHz: 40, maxQ: 6);
    [Fact] public void MatchesDoubleReference_Double() => MatchesReference<double>(1e-12, seed: 12, minHz: 300, maxQ: 3);

    private static void MatchesReference<T>(double tolerance, int seed, double minHz, double maxQ) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        double worst = 0;
        for (int trial = 0; trial < 40; trial++)
        {
            int stages = 1 + rng.Next(8);
            int channels = 1 + rng.Next(8);
            var cascade = new BiquadCascade<T>(stages, channels);
            var reference = new BiquadReference(stages, channels);

            for (int blockIndex = 0; blockIndex < 6; blockIndex++)
            {
                // Between blocks: new coefficients for some stages, toggle others.
                for (int s = 0; s < stages; s++)
                {
                    int action = blockIndex == 0 ? 0 : rng.Next(4);
                    if (action == 0)
                    {
                        BiquadCoefficients c = RandomStable(rng, minHz, maxQ);
                        cascade.SetStage(s, c);
                        reference.Stages[s] = c;
                        reference.Enabled[s] = true;
                    }
                    else if (action == 1)
                    {
                        bool on = rng.Next(2) == 0;
                        cascade.SetStageEnabled(s, on);
                        reference.Enabled[s] = on;
                    }
                }

                int frames = rng.Next(4) == 0 ? rng.Next(20) : rng.Next(1001);
                using var buffer = new PlanarBuffer<T>(channels, frames);
                var expected = new double[channels, frames];
                for (int ch = 0; ch < channels; ch++)
                for (int i = 0; i < frames; i++)
                {
                    T x = T.CreateTruncating(rng.NextDouble() * 2 - 1);
                    buffer[ch][i] = x;
                    expected[ch, i] = reference.Process(ch, double.CreateTruncating(x));
                }

                Assert.Equal(channels, cascade.Process(buffer.Block()));

                for (int ch = 0; ch < channels; ch++)
                {
                    double peak = 0;
                    for (int i = 0; i < frames; i++) peak = Math.Max(peak, Math.Abs(expected[ch, i]));
                    // Error relative to full scale: stacked boosts reach levels far above 1 and rounding scales
                    // with the signal, so the bound applies to error / max(1, block peak).
                    double scale = Math.Max(1.0, peak);
                    for (int i = 0; i < frames; i++)
                    {
                        double err = Math.Abs(double.CreateTruncating(buffer[ch][i]) - expected[ch, i]) / scale;
                        worst = Math.Max(worst, err);
                        Assert.True(err <= tolerance, $"trial {trial} stages {stages} block {blockIndex} ch {ch} i {i}/{frames}: error {err:E3}, block peak {peak:F3}");
                    }
                }
            }
        }

        Assert.True(worst > 0 || typeof(T) == typeof(double), "float path should differ from double somewhere");
    }

    [Fact]
    public void DoubleError_OnLowSharpBands_StaysNearNaiveDoubleLoop()
    {
        var rng = new Random(12);
        double worstCascade = 0, worstNaive = 0;
        for (int trial = 0; trial < 30; trial++)
        {
            int stages = 1 + rng.Next(8);
            var cascade = new BiquadCascade<double>(stages, 1);
            var reference = new BiquadReference(stages, 1);
            var naive = new BiquadCoefficients[stages];
            for (int s = 0; s < stages; s++)
            {
                naive[s] = RandomStable(rng);
                cascade.SetStage(s, naive[s]);
                reference.Stages[s] = naive[s];
                reference.Enabled[s] = true;
            }

            double[] x = new double[4096];
            for (int i = 0; i < x.Length; i++) x[i] = rng.NextDouble() * 2 - 1;
            double[] y = (double[])x.Clone();
            cascade.Process(0, y);
            double[] h = new double[stages * 4]; // naive double DF-I: x1, x2, y1, y2 per stage
            for (int i = 0; i < x.Length; i++)
            {
                double expected = reference.Process(0, x[i]);
                double v = x[i];
                for (int s = 0; s < stages; s++)
                {
                    BiquadCoefficients c = naive[s];
                    double o = c.B0 * v + c.B1 * h[4 * s] + c.B2 * h[4 * s + 1] - c.A1 * h[4 * s + 2] - c.A2 * h[4 * s + 3];
                    h[4 * s + 1] = h[4 * s]; h[4 * s] = v; h[4 * s + 3] = h[4 * s + 2]; h[4 * s + 2] = o;
                    v = o;
                }

                worstNaive = Math.Max(worstNaive, Math.Abs(v - expected));
                worstCascade = Math.Max(worstCascade, Math.Abs(y[i] - expected));
            }
        }

        // Measured: cascade 6e−12, naive 1.6e−12 — the look-ahead form rounds a few more terms per output.
        Assert.True(worstCascade <= 8 * worstNaive, $"cascade {worstCascade:E2} vs naive double loop {worstNaive:E2}");
        Assert.True(worstCascade < 1e-10, $"cascade {worstCascade:E2}");
    }

    [Fact]
    public void SingleChannelSpanOverload_MatchesReference_AcrossOddBlockSizes()
    {
        var rng = new Random(5);
        var cascade = new BiquadCascade<double>(4, 2);
        var reference = new BiquadReference(4, 2);
        for (int s = 0; s < 4; s++)
        {
            BiquadCoefficients c = RandomStable(rng);
            cascade.SetStage(s, c);
            reference.Stages[s] = c;
            reference.Enabled[s] = true;
        }

        foreach (int n in new[] { 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 64, 100, 0, 1 })
        {
            double[] block = new double[n];
            for (int i = 0; i < n; i++) block[i] = rng.NextDouble() * 2 - 1;
            double[] expected = block.Select(x => reference.Process(1, x)).ToArray();
            Assert.True(cascade.Process(1, block));
            for (int i = 0; i < n; i++) Assert.Equal(expected[i], block[i], 1e-12);
        }

        Assert.False(cascade.Process(2, new double[4]));
        Assert.False(cascade.Process(-1, new double[4]));
    }

    [Fact]
    public void RandomBlockSplits_GiveTheSameOutputAsOneBlock()
    {
        // State continuity: the chain calls the cascade per sub-block (≤ 32 frames while smoothing), so splitting
        // a stream anywhere must not change it beyond rounding (block loop vs scalar tail).
        var rng = new Random(21);
        var whole = new BiquadCascade<float>(5, 2);
        var split = new BiquadCascade<float>(5, 2);
        for (int s = 0; s < 5; s++)
        {
            BiquadCoefficients c = RandomStable(rng);
            whole.SetStage(s, c);
            split.SetStage(s, c);
        }

        whole.SetStageEnabled(2, false);
        split.SetStageEnabled(2, false);
        const int n = 2048;
        using var a = new PlanarBuffer<float>(2, n);
        using var b = new PlanarBuffer<float>(2, n);
        for (int ch = 0; ch < 2; ch++)
        for (int i = 0; i < n; i++)
            a[ch][i] = b[ch][i] = (float)(rng.NextDouble() * 2 - 1);

        whole.Process(a.Block());
        for (int start = 0; start < n;)
        {
            int len = Math.Min(n - start, rng.Next(0, 40));
            split.Process(b.Block().Slice(start, len));
            start += len;
        }

        for (int ch = 0; ch < 2; ch++)
        {
            double peak = VectorKernels.Peak<float>(a[ch]);
            for (int i = 0; i < n; i++)
                Assert.True(Math.Abs(a[ch][i] - b[ch][i]) <= 1e-6 * Math.Max(1, peak), $"ch {ch} i {i}: {a[ch][i]} vs {b[ch][i]}");
        }
    }

    // ---- Denormals and non-finite recovery ----------------------------------------------------------------

    [Fact] public void SubnormalInput_LeavesNoSubnormalState_Float() => SubnormalInputLeavesNoSubnormalState<float>();
    [Fact] public void SubnormalInput_LeavesNoSubnormalState_Double() => SubnormalInputLeavesNoSubnormalState<double>();

    private static void SubnormalInputLeavesNoSubnormalState<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var cascade = new BiquadCascade<T>(4, 2);
        cascade.SetStage(0, BiquadDesign.Design(FilterType.LowPass, 200, 0.7, 0, Fs));
        cascade.SetStage(1, BiquadDesign.Design(FilterType.Peaking, 1000, 4, 12, Fs));
        cascade.SetStage(2, BiquadDesign.Design(FilterType.HighShelf, 5000, 0.7, 6, Fs));
        cascade.SetStageEnabled(3, false);

        var rng = new Random(3);
        T smallest = T.Epsilon;
        using var buffer = new PlanarBuffer<T>(2, 67);
        for (int blockIndex = 0; blockIndex < 50; blockIndex++)
        {
            for (int ch = 0; ch < 2; ch++)
            for (int i = 0; i < buffer.Frames; i++)
            {
                T v = smallest * T.CreateTruncating(rng.Next(1, 1000));
                Assert.True(T.IsSubnormal(v));
                buffer[ch][i] = rng.Next(2) == 0 ? v : -v;
            }

            cascade.Process(buffer.Block());
            double threshold = double.CreateTruncating(Denormals.StateThreshold<T>());
            for (int ch = 0; ch < 2; ch++)
                foreach (double s in cascade.GetState(ch))
                {
                    Assert.False(double.IsSubnormal(s) || T.IsSubnormal(T.CreateTruncating(s)), $"subnormal state {s} after block {blockIndex}");
                    Assert.True(s == 0 || Math.Abs(s) >= threshold, $"state {s} below the flush threshold after block {blockIndex}");
                }
        }
    }

    [Fact]
    public void DecayingTail_FlushesToExactZero()
    {
        var cascade = new BiquadCascade<float>(2, 1);
        cascade.SetStage(0, BiquadDesign.Design(FilterType.LowPass, 100, 2, 0, Fs));
        cascade.SetStage(1, BiquadDesign.Design(FilterType.Peaking, 300, 3, 10, Fs));
        float[] block = new float[128];
        block[0] = 1f;
        bool reachedZero = false;
        for (int k = 0; k < 20_000 && !reachedZero; k++)
        {
            cascade.Process(0, block);
            Array.Clear(block);
            foreach (double s in cascade.GetState(0)) Assert.False(float.IsSubnormal((float)s) || double.IsSubnormal(s));
            reachedZero = cascade.GetState(0).ToArray().All(s => s == 0.0);
        }

        Assert.True(reachedZero, "an impulse tail should end in an all-zero state, not linger as denormals");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void AfterNonFiniteBlock_OutputIsFiniteWithinOneBlock(float bad)
    {
        var cascade = new BiquadCascade<float>(3, 2);
        cascade.SetStage(0, BiquadDesign.Design(FilterType.Peaking, 800, 2, 6, Fs));
        cascade.SetStage(1, BiquadDesign.Design(FilterType.LowPass, 6000, 0.7, 0, Fs));
        cascade.SetStage(2, BiquadDesign.Design(FilterType.HighShelf, 3000, 0.7, -4, Fs));
        using var buffer = new PlanarBuffer<float>(2, 100);
        var rng = new Random(9);
        void Fill() { for (int ch = 0; ch < 2; ch++) for (int i = 0; i < 100; i++) buffer[ch][i] = (float)(rng.NextDouble() - 0.5); }

        Fill();
        cascade.Process(buffer.Block());
        Fill();
        buffer[0][37] = bad;
        cascade.Process(buffer.Block());
        Assert.True(buffer[1].ToArray().All(float.IsFinite), "the clean channel is unaffected");

        Fill();
        cascade.Process(buffer.Block());
        for (int ch = 0; ch < 2; ch++)
            Assert.True(buffer[ch].ToArray().All(float.IsFinite), $"channel {ch} still non-finite one block later");
        Assert.True(VectorKernels.Peak<float>(buffer[0]) > 0.01f, "channel 0 produces signal again");
    }

    [Fact]
    public void NullChannelsAndExtraChannels_AreSafe()
    {
        var cascade = new BiquadCascade<float>(1, 2);
        cascade.SetStage(0, BiquadDesign.Design(FilterType.LowPass, 1000, 0.7, 0, Fs));
        using var wide = new PlanarBuffer<float>(3, 16);
        wide[2].Fill(1f);
        Assert.Equal(2, cascade.Process(wide.Block()));
        Assert.True(wide[2].ToArray().All(v => v == 1f), "channels beyond MaxChannels pass through");
        Assert.Equal(0, cascade.Process(AudioBlock<float>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => cascade.SetStage(1, BiquadCoefficients.Identity));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BiquadCascade<float>(9, 1));
        cascade.SetStage(0, new BiquadCoefficients(double.NaN, 0, 0, 0, 0));
        Assert.Equal(BiquadCoefficients.Identity, cascade.GetStage(0));
    }

    [Fact]
    public void ReEnabledStage_StartsFromCurrentSignal_NoStep()
    {
        // A low shelf at 0 dB is the identity; toggling it on mid-stream on a DC signal must not disturb the output.
        var cascade = new BiquadCascade<double>(1, 1);
        cascade.SetStage(0, BiquadDesign.Design(FilterType.LowShelf, 500, 0.7, 0, Fs), enabled: false);
        double[] block = Enumerable.Repeat(0.5, 64).ToArray();
        cascade.Process(0, block);
        cascade.SetStageEnabled(0, true);
        block = Enumerable.Repeat(0.5, 64).ToArray();
        cascade.Process(0, block);
        foreach (double y in block) Assert.Equal(0.5, y, 12);
    }

    // ---- Audio-thread rule: no allocation ----------------------------------------------------------------

    [Fact]
    public void Process_AllocatesNothingOver10000Blocks()
    {
        var cascade = new BiquadCascade<float>(8, 8);
        var rng = new Random(1);
        for (int s = 0; s < 8; s++) cascade.SetStage(s, RandomStable(rng));
        using var buffer = new PlanarBuffer<float>(8, 512);
        for (int ch = 0; ch < 8; ch++) for (int i = 0; i < 512; i++) buffer[ch][i] = (float)(rng.NextDouble() - 0.5);
        var stereo = buffer.Block().WithChannels(2);
        BiquadCoefficients alt = RandomStable(rng);

        cascade.Process(buffer.Block());
        cascade.Process(stereo.Slice(3, 61));
        cascade.SetStage(3, alt);
        cascade.SetStageEnabled(5, false);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 10_000; k++)
        {
            cascade.Process((k & 1) == 0 ? buffer.Block() : stereo.Slice(3, 61));
            if ((k & 63) == 0)
            {
                cascade.SetStage(3, alt);
                cascade.SetStageEnabled(5, (k & 128) == 0);
            }
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
