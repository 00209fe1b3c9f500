using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Interop.Bridge;
using NPlug.Buffers.Hosting;

namespace NPlug.Buffers.Tests.Hosting;

/// <summary>Processor → controller messages travel through the host's IConnectionPoint proxies and IHostApplication messages.</summary>
public sealed class ConnectionTests
{
    private sealed class Talker : AudioProcessor
    {
        protected override void ConfigureBuses(BusLayout buses) => buses.AddAudioOutput("Out", SpeakerArrangements.Stereo);

        protected override int OnProcess(ProcessBlock block) {  return TResult.ResultOk; }

        public bool Send(long peak, string label) => TrySendMessage("Meter", m =>
        {
            m.SetInt("peak", peak);
            m.SetString("label", label);
        });
    }

    private sealed class Listener : EditController
    {
        public readonly List<(string Id, long Peak, string Label)> Received = [];

        protected override void ConfigureParameters(ParameterList parameters) { }

        protected override void OnMessage(HostMessage message)
        {
            message.TryGetInt("peak", out long peak);
            message.TryGetString("label", out string label);
            Received.Add((message.Id, peak, label));
        }
    }

    [Fact]
    public unsafe void Messages_reach_the_controller_through_the_proxies()
    {
        Talker? talker = null;
        Listener? listener = null;
        var d = new PluginFactoryDescription("Talk");
        const string proc = "CCCCCCCC-0000-4000-8000-000000000001", ctrl = "CCCCCCCC-0000-4000-8000-000000000002";
        d.AddProcessor(proc, "Talker", "Fx", ctrl, () => talker = new Talker());
        d.AddController(ctrl, "Listener", () => listener = new Listener());
        using var module = PluginModule.FromFactory((nint)PluginExports.CreateFactory(d));
        int messagesBefore = module.HostContext.MessagesCreated;
        using (var plugin = module.CreatePlugin())
        {
            Assert.True(plugin.IsConnected);
            Assert.True(talker!.IsConnected);
            Assert.Equal(module.HostContext.Name, talker.HostName);
            Assert.True(talker.Send(42, "L/R"));
            Assert.Equal([("Meter", 42L, "L/R")], listener!.Received);
            Assert.Equal(messagesBefore + 1, module.HostContext.MessagesCreated);
        }
        // Disposal disconnected both sides: a message now has nowhere to go.
        Assert.False(talker.IsConnected);
        Assert.False(talker.Send(1, "late"));
        Assert.Single(listener.Received);
    }
}
