using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Interop.Bridge;
using NPlug.Buffers.Hosting;

namespace NPlug.Buffers.Tests.Hosting;

/// <summary>Controller → host requests: edits are recorded, a latency change is applied by re-activating the processor.</summary>
public sealed class RestartTests
{
    private sealed class Shared
    {
        public uint Latency;
        public int Activations;
        public LatencyController? Controller;
    }

    private sealed class LatencyProcessor(Shared shared) : AudioProcessor
    {
        public override uint LatencySamples => shared.Latency;

        protected override void ConfigureBuses(BusLayout buses)
        {
            buses.AddAudioInput("In", SpeakerArrangements.Stereo);
            buses.AddAudioOutput("Out", SpeakerArrangements.Stereo);
        }

        protected override void OnActivate() => shared.Activations++;

        protected override int OnProcess(ProcessBlock block) {  return TResult.ResultOk; }
    }

    private sealed class LatencyController : EditController
    {
        protected override void ConfigureParameters(ParameterList parameters) => parameters.Add(AudioParameter.Linear(4, "Lookahead", 0, 10, 0, "ms", decimals: 2, unitInText: false));

        public void UserChangesLookahead(Shared shared, double normalized)
        {
            EditParameter(4, normalized);
            shared.Latency = (uint)Math.Round(normalized * 480);
            RestartComponent(RestartFlags.LatencyChanged);
        }
    }

    [Fact]
    public unsafe void Latency_change_is_recorded_and_applied_by_reactivation()
    {
        var shared = new Shared();
        var d = new PluginFactoryDescription("Restart");
        const string proc = "BBBBBBBB-0000-4000-8000-000000000001", ctrl = "BBBBBBBB-0000-4000-8000-000000000002";
        d.AddProcessor(proc, "Lookahead", "Fx", ctrl, () => new LatencyProcessor(shared));
        d.AddController(ctrl, "Lookahead Controller", () => shared.Controller = new LatencyController());
        using var module = PluginModule.FromFactory((nint)PluginExports.CreateFactory(d));
        using var plugin = module.CreatePlugin();
        plugin.StartProcessing(48000, 256);
        Assert.Equal(1, shared.Activations);
        Assert.Equal(0u, plugin.LatencySamples);

        shared.Controller!.UserChangesLookahead(shared, 0.5);
        Assert.Equal(["beginEdit", "performEdit", "endEdit", "restartComponent"], plugin.Handler.Calls.Select(c => c.Method));
        Assert.Equal(0.5, plugin.Handler.Calls[1].Value);
        Assert.Equal(RestartFlags.LatencyChanged, plugin.PendingRestartFlags);

        Assert.Equal(RestartFlags.LatencyChanged, plugin.ApplyPendingRestart());
        Assert.Equal(2, shared.Activations);
        Assert.True(plugin.IsActive && plugin.IsProcessing);
        Assert.Equal(240u, plugin.LatencySamples);
        Assert.Equal(0, plugin.PendingRestartFlags);
        Assert.Equal(TResult.ResultOk, plugin.Process(256));
    }
}
