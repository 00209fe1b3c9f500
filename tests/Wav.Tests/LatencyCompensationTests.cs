using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Interop.Bridge;
using NPlug.Buffers.Hosting;
using OfflineRender;

namespace NPlug.Buffers.Tests.Wav;

/// <summary>The renderer removes a plugin's reported latency: a pure delay comes out aligned with its input.</summary>
public sealed class LatencyCompensationTests
{
    [Theory]
    [InlineData(100, 64)]
    [InlineData(1000, 256)]  // latency longer than several blocks
    [InlineData(0, 128)]
    public void PureDelay_IsAlignedWithItsInput(int latency, int block)
    {
        using var module = OpenDelay(latency);
        using var plugin = module.CreatePlugin();
        Assert.Equal((uint)latency, plugin.LatencySamples);

        const int frames = 5000;
        var input = new[] { new double[frames], new double[frames] };
        var rng = new Random(7);
        for (int i = 0; i < frames; i++)
        {
            input[0][i] = rng.NextDouble() - 0.5;
            input[1][i] = rng.NextDouble() - 0.5;
        }

        var report = Renderer.Render(plugin, new RenderJob(input, frames, 48000, block, [], [], false));

        Assert.Equal(latency, report.LatencySamples);
        Assert.Equal(frames, report.Output[0].Length);
        for (int c = 0; c < 2; c++)
            for (int i = 0; i < frames; i++)
                Assert.Equal((float)input[c][i], (float)report.Output[c][i]); // bit-exact: a delay only moves samples
    }

    internal static unsafe PluginModule OpenDelay(int latency)
    {
        var d = new PluginFactoryDescription("NPlug.Buffers tests");
        d.AddProcessor("C0FFEE00-0000-4000-8000-0000000000D1", "Delay", "Fx|Delay", "C0FFEE00-0000-4000-8000-0000000000D2",
            () => new DelayProcessor(latency));
        return PluginModule.FromFactory((nint)PluginExports.CreateFactory(d));
    }

    /// <summary>Delays every channel by exactly its reported latency.</summary>
    private sealed class DelayProcessor(int latency) : AudioProcessor
    {
        private float[][] _lines = [];
        private int _position;

        public override uint LatencySamples => (uint)latency;

        protected override void ConfigureBuses(BusLayout buses)
        {
            buses.AddAudioInput("In", SpeakerArrangements.Stereo);
            buses.AddAudioOutput("Out", SpeakerArrangements.Stereo);
        }

        protected override void OnActivate()
        {
            _lines = [new float[Math.Max(latency, 1)], new float[Math.Max(latency, 1)]];
            _position = 0;
        }

        protected override int OnProcess(ProcessBlock block)
        {
            if (block.SampleCount == 0) return TResult.ResultOk;
            var input = block.Input(0);
            var output = block.Output(0);
            int start = _position;
            for (int c = 0; c < 2; c++)
            {
                var x = input.GetChannel32(c);
                var y = output.GetChannel32(c);
                var line = _lines[c];
                int p = start;
                for (int i = 0; i < block.SampleCount; i++)
                {
                    float sample = x[i];
                    if (latency == 0)
                    {
                        y[i] = sample;
                        continue;
                    }

                    y[i] = line[p];
                    line[p] = sample;
                    if (++p == latency) p = 0;
                }

                _position = p;
            }
                    return TResult.ResultOk;
        }
    }
}
