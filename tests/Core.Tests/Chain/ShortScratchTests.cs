using System.Numerics;
using NPlug.Buffers.Chain;
using NPlug.Buffers.Dsp;

namespace NPlug.Buffers.Tests.Chain;

/// <summary>
/// A chain given a scratch shorter than the block (a starved pool's fallback) renders the block in chunks; the samples
/// must be the ones a full scratch gives, bit for bit, with every kind of automation moving inside the blocks.
/// </summary>
public class ShortScratchTests
{
    private const double Rate = 48000;
    private const int MaxFrames = 1024, Channels = 2, Sidechain = 2, Bands = 4;

    public static TheoryData<int, int> Cases => new()
    {
        { 32, 1 }, { 33, 2 }, { 64, 3 }, { 100, 4 }, { 512, 5 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FloatChainIsBitIdenticalWithAShortScratch(int scratchFrames, int seed) => Compare<float>(scratchFrames, seed);

    [Theory]
    [MemberData(nameof(Cases))]
    public void DoubleChainIsBitIdenticalWithAShortScratch(int scratchFrames, int seed) => Compare<double>(scratchFrames, seed);

    /// <summary>
    /// The moving-band loop on vectors (four bands per lane set) against the scalar loop it replaces: the same session
    /// (every band's frequency, gain and Q moving, types and on/off switching, six bands so the second group has empty
    /// lanes), bit for bit. Only meaningful where the vector loop runs (256-bit vectors), as on every CI machine.
    /// </summary>
    [Theory]
    [InlineData(4, 6)]
    [InlineData(6, 7)]
    public void TheVectorBandLoopIsTheScalarLoop(int bands, int seed)
    {
        Assert.True(NewChain<float>(bands).VectorBands, "the vector band loop runs on this machine");
        Compare<float>(MaxFrames, seed, bands, scalarReference: true);
        Compare<double>(MaxFrames, seed, bands, scalarReference: true);
    }

    [Fact]
    public void AScratchShorterThanOneSubBlockIsRefused()
    {
        var chain = NewChain<float>();
        using var io = new PlanarBuffer<float>(Channels, MaxFrames);
        using var side = new PlanarBuffer<float>(Sidechain, MaxFrames);
        using var scratch = new PlanarBuffer<float>(chain.ScratchChannels, GainBiquadChain<float>.MinScratchFrames - 1);
        io.Channels[0].AsSpan().Fill(0.5f);
        chain.SetParameter(ChainParameter.Bypass, 1); // the crossfade needs the dry copy
        Assert.False(chain.Process(io.Block(256), io.Block(256), side.Block(256), null, scratch.Block()));
        Assert.All(io.Channels[0].AsSpan(0, 256).ToArray(), s => Assert.Equal(0f, s)); // cleared, not half-rendered
    }

    [Fact]
    public void ChunkedBlocksAllocateNothing()
    {
        var chain = NewChain<float>();
        using var io = new PlanarBuffer<float>(Channels, MaxFrames);
        using var side = new PlanarBuffer<float>(Sidechain, MaxFrames);
        using var scratch = new PlanarBuffer<float>(chain.ScratchChannels, 64);
        var automation = new ChainAutomation(Bands, 16);
        for (int n = 0; n < MaxFrames; n++) io.Channels[0][n] = io.Channels[1][n] = side.Channels[0][n] = (float)Math.Sin(0.05 * n);
        void Run(int blocks)
        {
            for (int i = 0; i < blocks; i++)
            {
                automation.Clear();
                automation.AddPoint((int)ChainParameter.GainDb, 100, -6 + (i & 3));
                automation.AddPoint(ChainAutomation.BandParameter(1, BandField.GainDb), 700, (i & 7) - 3);
                automation.AddPoint((int)ChainParameter.Bypass, 333, i % 40 < 20 ? 1 : 0);
                if (!chain.Process(io.Block(), io.Block(), side.Block(), automation, scratch.Block())) throw new InvalidOperationException();
            }
        }
        Run(200); // warm-up: JIT and tiering
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(5000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static GainBiquadChain<T> NewChain<T>(int bands = Bands) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var chain = new GainBiquadChain<T>(new ChainSettings { BandCount = bands, MaxPointsPerParameter = 16 });
        chain.Prepare(Rate, MaxFrames, Channels, Sidechain, externalScratch: true);
        chain.SetParameter(ChainParameter.DuckDepthDb, 9);
        chain.SetParameter(ChainParameter.KeyFrequencyHz, 150);
        for (int b = 0; b < bands; b++)
        {
            chain.SetBandParameter(b, BandField.Type, (double)FilterType.Peaking);
            chain.SetBandParameter(b, BandField.FrequencyHz, 100 * Math.Pow(4, b));
            chain.SetBandParameter(b, BandField.GainDb, b % 2 == 0 ? 6 : -6);
            chain.SetBandParameter(b, BandField.Q, 1);
            chain.SetBandParameter(b, BandField.Enabled, 1);
        }
        return chain;
    }

    private static void Compare<T>(int scratchFrames, int seed, int bands = Bands, bool scalarReference = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var whole = NewChain<T>(bands);
        var chunked = NewChain<T>(bands);
        if (scalarReference) whole.VectorBands = false;
        using var a = new PlanarBuffer<T>(Channels, MaxFrames);
        using var b = new PlanarBuffer<T>(Channels, MaxFrames);
        using var side = new PlanarBuffer<T>(Sidechain, MaxFrames);
        using var fullScratch = new PlanarBuffer<T>(whole.ScratchChannels, MaxFrames);
        using var shortScratch = new PlanarBuffer<T>(chunked.ScratchChannels, scratchFrames);
        var automation = new ChainAutomation(bands, 16);
        var rng = new Random(seed);
        long t = 0;
        double loudest = 0, largestReduction = 0;
        bool bypassed = false;
        for (int block = 0; block < 60; block++)
        {
            int frames = block % 7 == 6 ? rng.Next(1, 40) : rng.Next(40, MaxFrames + 1);
            for (int n = 0; n < frames; n++, t++)
            {
                for (int c = 0; c < Channels; c++)
                    a.Channels[c][n] = b.Channels[c][n] = T.CreateTruncating(0.4 * Math.Sin(2 * Math.PI * (220 + 90 * c) * t / Rate) + 0.1 * (rng.NextDouble() - 0.5));
                for (int c = 0; c < Sidechain; c++)
                    side.Channels[c][n] = T.CreateTruncating(t % 7000 < 3500 ? 0.8 * Math.Sin(2 * Math.PI * 1500 * t / Rate) : 0);
            }
            automation.Clear();
            Queue(automation, rng, (int)ChainParameter.GainDb, frames, -12, 6);
            Queue(automation, rng, (int)ChainParameter.DuckDepthDb, frames, 0, 18);
            if (rng.Next(4) == 0) Queue(automation, rng, (int)ChainParameter.KeyFrequencyHz, frames, 60, 400);
            if (rng.Next(5) == 0)
            {
                bypassed = !bypassed;
                automation.AddPoint((int)ChainParameter.Bypass, rng.Next(frames), bypassed ? 1 : 0);
            }
            for (int band = 0; band < bands; band++)
            {
                double f = 100 * Math.Pow(4, band % 4);
                Queue(automation, rng, ChainAutomation.BandParameter(band, BandField.FrequencyHz), frames, f * 0.6, f * 1.6);
                Queue(automation, rng, ChainAutomation.BandParameter(band, BandField.GainDb), frames, -9, 9);
                Queue(automation, rng, ChainAutomation.BandParameter(band, BandField.Q), frames, 0.5, 3);
                if (rng.Next(10) == 0) automation.AddPoint(ChainAutomation.BandParameter(band, BandField.Enabled), rng.Next(frames), rng.Next(2));
                if (rng.Next(12) == 0) automation.AddPoint(ChainAutomation.BandParameter(band, BandField.Type), rng.Next(frames), (double)(rng.Next(2) == 0 ? FilterType.Peaking : FilterType.LowShelf));
            }

            // In place for both; the sidechain is read-only.
            Assert.True(whole.Process(a.Block(frames), a.Block(frames), side.Block(frames), automation, fullScratch.Block()));
            Assert.True(chunked.Process(b.Block(frames), b.Block(frames), side.Block(frames), automation, shortScratch.Block()));
            for (int c = 0; c < Channels; c++)
            {
                for (int n = 0; n < frames; n++)
                    Assert.True(a.Channels[c][n] == b.Channels[c][n], $"block {block} ({frames} frames) ch {c} n {n}: {a.Channels[c][n]} vs {b.Channels[c][n]}");
            }
            Assert.Equal(whole.OutputPeak, chunked.OutputPeak);
            Assert.Equal(whole.GainReductionDb, chunked.GainReductionDb);
            Assert.Equal(whole.MaxGainReductionDb, chunked.MaxGainReductionDb);
            loudest = Math.Max(loudest, whole.OutputPeak);
            largestReduction = Math.Max(largestReduction, whole.MaxGainReductionDb);
        }
        Assert.True(loudest > 0.1, "the session is not silent");
        Assert.True(largestReduction > 1, "the ducker acted");
    }

    private static void Queue(ChainAutomation automation, Random rng, int parameter, int frames, double lo, double hi)
    {
        int count = rng.Next(0, 4);
        Span<int> offsets = stackalloc int[count];
        for (int i = 0; i < count; i++) offsets[i] = rng.Next(frames);
        offsets.Sort();
        foreach (int o in offsets) automation.AddPoint(parameter, o, lo + (hi - lo) * rng.NextDouble());
    }
}
