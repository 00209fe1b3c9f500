using NPlug.Buffers.Chain;
using NPlug.Buffers.Dsp;

namespace NPlug.Buffers.Tests.Chain;

/// <summary>
/// A block without points after the chain came to rest takes a shortcut past the automation bookkeeping; its samples
/// must be the general path's. The reference chain gets a redundant point (the gain's current value at offset 0) in
/// every block, which keeps it on the general path without changing what that path computes.
/// </summary>
public class QuietBlockTests
{
    private const double Rate = 48000;
    private const int MaxFrames = 512;

    [Theory]
    [InlineData(0)] // defaults: identity bands
    [InlineData(4)] // four bells
    public void QuietBlocksEqualTheGeneralPath(int bells)
    {
        var quick = NewChain(bells);
        var general = NewChain(bells);
        using var a = new PlanarBuffer<float>(2, MaxFrames);
        using var b = new PlanarBuffer<float>(2, MaxFrames);
        using var side = new PlanarBuffer<float>(2, MaxFrames);
        var quickAutomation = new ChainAutomation(4, 8);
        var generalAutomation = new ChainAutomation(4, 8);
        var rng = new Random(11 + bells);
        long t = 0;
        double gainDb = 0;
        for (int block = 0; block < 400; block++)
        {
            int frames = rng.Next(1, MaxFrames + 1);
            for (int n = 0; n < frames; n++, t++)
            {
                float x = (float)(0.5 * Math.Sin(2 * Math.PI * 440 * t / Rate));
                a.Channels[0][n] = b.Channels[0][n] = x;
                a.Channels[1][n] = b.Channels[1][n] = -0.5f * x;
                side.Channels[0][n] = side.Channels[1][n] = (float)(0.7 * Math.Sin(2 * Math.PI * 1500 * t / Rate));
            }
            quickAutomation.Clear();
            generalAutomation.Clear();
            // Now and then something moves: a gain ramp, a band change, a bypass flip, a ducking burst, a SetParameter.
            switch (block % 50)
            {
                case 10:
                    gainDb = -6 + rng.Next(10);
                    Both(quickAutomation, generalAutomation, (int)ChainParameter.GainDb, frames - 1, gainDb);
                    break;
                case 20:
                    Both(quickAutomation, generalAutomation, ChainAutomation.BandParameter(rng.Next(4), BandField.GainDb), frames / 2, rng.Next(-9, 10));
                    break;
                case 25:
                    Both(quickAutomation, generalAutomation, (int)ChainParameter.Bypass, 0, 1);
                    break;
                case 30:
                    Both(quickAutomation, generalAutomation, (int)ChainParameter.Bypass, frames / 3, 0);
                    break;
                case 35:
                    Both(quickAutomation, generalAutomation, (int)ChainParameter.DuckDepthDb, 0, 12);
                    break;
                case 38:
                    Both(quickAutomation, generalAutomation, (int)ChainParameter.DuckDepthDb, 0, 0);
                    break;
                case 45:
                    quick.SetBandParameter(0, BandField.Q, 0.7 + rng.NextDouble());
                    general.SetBandParameter(0, BandField.Q, quick.GetParameter(ChainAutomation.BandParameter(0, BandField.Q)));
                    break;
            }
            generalAutomation.AddPoint((int)ChainParameter.GainDb, 0, general.GetParameter((int)ChainParameter.GainDb));
            if (generalAutomation.Points((int)ChainParameter.GainDb).Length > 1)
            {
                // This block ramps the gain: keep the ramp, drop the redundant point in front of it.
                generalAutomation.Clear();
                generalAutomation.AddPoint((int)ChainParameter.GainDb, frames - 1, gainDb);
            }

            quick.Process(a.Block(frames), a.Block(frames), side.Block(frames), quickAutomation);
            general.Process(b.Block(frames), b.Block(frames), side.Block(frames), generalAutomation);
            for (int c = 0; c < 2; c++)
                for (int n = 0; n < frames; n++)
                    Assert.True(a.Channels[c][n] == b.Channels[c][n], $"block {block} ch {c} n {n}: {a.Channels[c][n]} vs {b.Channels[c][n]}");
            Assert.Equal(general.OutputPeak, quick.OutputPeak);
            Assert.Equal(general.GainReductionDb, quick.GainReductionDb);
        }
        Assert.True(quick.QuietBlocks > 100, $"the at-rest path ran {quick.QuietBlocks} times");
        Assert.Equal(0, general.QuietBlocks);
    }

    private static void Both(ChainAutomation x, ChainAutomation y, int parameter, int offset, double value)
    {
        x.AddPoint(parameter, offset, value);
        y.AddPoint(parameter, offset, value);
    }

    private static GainBiquadChain<float> NewChain(int bells)
    {
        var chain = new GainBiquadChain<float>(new ChainSettings { BandCount = 4, MaxPointsPerParameter = 8 });
        chain.Prepare(Rate, MaxFrames, 2);
        chain.SetParameter(ChainParameter.KeyFrequencyHz, 200);
        for (int b = 0; b < bells; b++)
        {
            chain.SetBandParameter(b, BandField.Type, (double)FilterType.Peaking);
            chain.SetBandParameter(b, BandField.FrequencyHz, 100 * Math.Pow(4, b));
            chain.SetBandParameter(b, BandField.GainDb, b % 2 == 0 ? 6 : -6);
            chain.SetBandParameter(b, BandField.Enabled, 1);
        }
        return chain;
    }
}
