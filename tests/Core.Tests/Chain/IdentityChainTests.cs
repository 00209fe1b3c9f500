using System.Numerics;
using NPlug.Buffers.Chain;
using NPlug.Buffers.Dsp;

namespace NPlug.Buffers.Tests.Chain;

/// <summary>
/// The chain at its identity settings (0 dB gain, every band at 0 dB, duck depth 0) returns its input bit for bit, with
/// or without a sidechain, and a detector that idled while the depth was 0 ducks as soon as the depth rises.
/// </summary>
public class IdentityChainTests
{
    private const double Rate = 48000;
    private const int MaxFrames = 512;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DefaultsAreBitExactFloat(bool sidechain) => DefaultsAreBitExact<float>(sidechain);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DefaultsAreBitExactDouble(bool sidechain) => DefaultsAreBitExact<double>(sidechain);

    private static void DefaultsAreBitExact<T>(bool sidechain) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var chain = new GainBiquadChain<T>();
        chain.Prepare(Rate, MaxFrames, 2);
        FilterType[] types = [FilterType.LowShelf, FilterType.Peaking, FilterType.Peaking, FilterType.HighShelf];
        for (int b = 0; b < 4; b++)
        {
            chain.SetBandParameter(b, BandField.Type, (double)types[b]);
            chain.SetBandParameter(b, BandField.Enabled, 1);
        }
        var input = new PlanarBuffer<T>(2, MaxFrames);
        var output = new PlanarBuffer<T>(2, MaxFrames);
        var side = new PlanarBuffer<T>(2, MaxFrames);
        var rng = new Random(8);
        var automation = new ChainAutomation();
        for (int block = 0; block < 40; block++)
        {
            int frames = 1 + rng.Next(MaxFrames);
            for (int c = 0; c < 2; c++)
                for (int n = 0; n < MaxFrames; n++)
                {
                    input.Channels[c][n] = T.CreateTruncating(rng.NextDouble() * 1.8 - 0.9);
                    side.Channels[c][n] = T.CreateTruncating(rng.NextDouble() - 0.5);
                }
            // Band frequencies and Q move (a 0 dB band stays the identity wherever it sits); gain and depth stay at 0.
            automation.Clear();
            automation.AddBandPoint(1, BandField.FrequencyHz, frames - 1, 300 + 400 * rng.NextDouble());
            automation.AddBandPoint(2, BandField.Q, frames / 2, 0.5 + rng.NextDouble());
            Assert.True(chain.Process(input.Block().Slice(0, frames), output.Block().Slice(0, frames),
                sidechain ? side.Block().Slice(0, frames) : AudioBlock<T>.Empty, automation));
            for (int c = 0; c < 2; c++)
                for (int n = 0; n < frames; n++) Assert.Equal(input.Channels[c][n], output.Channels[c][n]);
        }
        Assert.Equal(0, chain.GainReductionDb);
    }

    [Fact]
    public void AnIdleDetectorDucksOnceTheDepthRises()
    {
        var chain = new GainBiquadChain<float>();
        chain.Prepare(Rate, MaxFrames, 2);
        var main = new PlanarBuffer<float>(2, MaxFrames);
        var side = new PlanarBuffer<float>(2, MaxFrames);
        for (int c = 0; c < 2; c++)
            for (int n = 0; n < MaxFrames; n++) side.Channels[c][n] = (float)(0.9 * Math.Sin(2 * Math.PI * 1000 * n / Rate));
        // 20 blocks of a loud key at depth 0: nothing ducks.
        for (int block = 0; block < 20; block++)
        {
            for (int c = 0; c < 2; c++) Array.Fill(main.Channels[c], 0.5f);
            chain.Process(main.Block(), main.Block(), side.Block(), null);
            Assert.Equal(0, chain.GainReductionDb);
            Assert.Equal(0.5f, main.Channels[0][MaxFrames - 1]);
        }
        // Depth to 12 dB: the full-scale key is far above the range, so the whole depth applies within a few blocks.
        var automation = new ChainAutomation();
        automation.AddPoint(ChainParameter.DuckDepthDb, 0, 12);
        for (int block = 0; block < 10; block++)
        {
            for (int c = 0; c < 2; c++) Array.Fill(main.Channels[c], 0.5f);
            chain.Process(main.Block(), main.Block(), side.Block(), block == 0 ? automation : null);
        }
        Assert.InRange(chain.GainReductionDb, 11.9, 12.0);
        Assert.Equal(0.5 * Math.Pow(10, -12 / 20.0), main.Channels[0][MaxFrames - 1], 3);
    }
}
