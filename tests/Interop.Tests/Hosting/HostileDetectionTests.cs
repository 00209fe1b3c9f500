using System.Runtime.CompilerServices;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Interop.Bridge;
using NPlug.Buffers.Hosting;

namespace NPlug.Buffers.Tests.Hosting;

/// <summary>The hostile-mode runner must flag a plugin that breaks the contract, not only survive a good one.</summary>
public sealed class HostileDetectionTests
{
    private sealed class InputScribbler(bool scribble, bool latchNaN) : AudioProcessor
    {
        private bool _poisoned;

        public override bool CanProcess(SampleSize sampleSize) => sampleSize == SampleSize.Float32;

        protected override void ConfigureBuses(BusLayout buses)
        {
            buses.AddAudioInput("In", SpeakerArrangements.Stereo);
            buses.AddAudioOutput("Out", SpeakerArrangements.Stereo);
        }

        protected override int OnProcess(ProcessBlock block)
        {
            if (block.SampleCount == 0) return TResult.ResultOk;
            var input = block.Input(0);
            var output = block.Output(0);
            for (int ch = 0; ch < output.ChannelCount; ch++)
            {
                var x = input.GetChannel32(ch);
                var y = output.GetChannel32(ch);
                if (x.IsEmpty || y.IsEmpty) continue;
                for (int i = 0; i < y.Length; i++)
                {
                    // A filter whose state never recovers from NaN.
                    if (latchNaN && float.IsNaN(x[i])) _poisoned = true;
                    y[i] = _poisoned ? float.NaN : x[i];
                }
                if (scribble && !Unsafe.AreSame(ref x[0], ref y[0])) x.Clear(); // writes into the host's input
            }
                    return TResult.ResultOk;
        }
    }

    private sealed class NoParameters : EditController
    {
        protected override void ConfigureParameters(ParameterList parameters) { }
    }

    private static unsafe IReadOnlyList<HostileModeResult> Run(bool scribble, bool latchNaN, HostileModes modes)
    {
        var d = new PluginFactoryDescription("Hostile");
        const string proc = "DDDDDDDD-0000-4000-8000-000000000001", ctrl = "DDDDDDDD-0000-4000-8000-000000000002";
        d.AddProcessor(proc, "Scribbler", "Fx", ctrl, () => new InputScribbler(scribble, latchNaN));
        d.AddController(ctrl, "Scribbler Controller", () => new NoParameters());
        using var module = PluginModule.FromFactory((nint)PluginExports.CreateFactory(d));
        using var plugin = module.CreatePlugin();
        plugin.StartProcessing(44100, 128);
        return HostileModeRunner.Run(plugin, modes);
    }

    [Fact]
    public void Writing_into_separate_input_buffers_is_reported()
    {
        var r = Assert.Single(Run(scribble: true, latchNaN: false, HostileModes.RandomBlockSizes));
        Assert.False(r.Passed);
        Assert.Contains("overwrote input", r.Message);
        Assert.True(Assert.Single(Run(scribble: false, latchNaN: false, HostileModes.RandomBlockSizes)).Passed);
    }

    [Fact]
    public void State_poisoned_by_NaN_input_is_reported()
    {
        var r = Assert.Single(Run(scribble: false, latchNaN: true, HostileModes.NonFiniteInput));
        Assert.False(r.Passed);
        Assert.False(r.RecoveredFinite);
        Assert.Contains("still outputs NaN", r.Message);
    }
}
