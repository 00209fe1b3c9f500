using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Interop.Bridge;

namespace NPlug.Buffers.Tests.Abi;

public unsafe class MessageAndEventTests
{
    private sealed class PingPong : AudioProcessor
    {
        public string? LastId;
        public long LastValue;
        public string? LastText;
        public bool Replied;

        protected override void ConfigureBuses(BusLayout buses) => buses.AddAudioOutput("Out", SpeakerArrangements.Stereo);
        protected override int OnProcess(ProcessBlock block) {  return TResult.ResultOk; }

        protected override void OnMessage(HostMessage message)
        {
            LastId = message.Id;
            message.TryGetInt("value", out LastValue);
            message.TryGetString("text", out var text);
            LastText = text;
            long reply = LastValue + 1;
            Replied = TrySendMessage("pong", m =>
            {
                m.SetInt("value", reply);
                m.SetFloat("ratio", 0.5);
                m.SetString("text", "héllo");
                m.SetBinary("blob", [1, 2, 3]);
            });
        }
    }

    private static readonly Guid Cid = Guid.Parse("0A0B0C0D-0000-0000-0000-000000000001");

    [Fact]
    public void Notify_reaches_the_processor_and_replies_go_through_the_host_message_factory()
    {
        var processor = new PingPong();
        var d = new PluginFactoryDescription("Test");
        d.AddProcessor(Cid, "PingPong", "Fx", Guid.Parse("0A0B0C0D-0000-0000-0000-000000000002"), () => processor);
        void* f = PluginExports.CreateFactory(d);
        Tuid cid = Tuid.FromGuid(Cid);
        void* component;
        Assert.Equal(TResult.ResultOk, Vtbl.Of<IPluginFactoryVtbl>(f)->CreateInstance(f, &cid, Iids.IComponent.Pointer, &component));

        var host = new FakeHost { SupportsMessages = true };
        Vtbl.Of<IComponentVtbl>(component)->PluginBase.Initialize(component, host.UnknownPointer);
        Assert.Equal("Fake Host", processor.HostName);
        void* cp = Vtbl.QueryInterface(component, Iids.IConnectionPoint, out _);
        var conn = Vtbl.Of<IConnectionPointVtbl>(cp);

        var ping = new FakeMessage();
        ping.SetIdText("ping");
        ping.Values["value"] = 41L;
        ping.Values["text"] = "abc";

        // Not connected yet: the processor reads the message but cannot reply.
        Assert.Equal(TResult.ResultOk, conn->Notify(cp, ping.Pointer));
        Assert.Equal("ping", processor.LastId);
        Assert.Equal(41, processor.LastValue);
        Assert.Equal("abc", processor.LastText);
        Assert.False(processor.Replied);

        Assert.Equal(TResult.ResultOk, conn->Connect(cp, host.ConnectionPoint));
        Assert.Equal(TResult.ResultOk, conn->Notify(cp, ping.Pointer));
        Assert.True(processor.Replied);
        var (id, values) = Assert.Single(host.Received);
        Assert.Equal("pong", id);
        Assert.Equal(42L, values["value"]);
        Assert.Equal(0.5, values["ratio"]);
        Assert.Equal("héllo", values["text"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, values["blob"]);
        Assert.Equal(TResult.InvalidArgument, conn->Notify(cp, null));

        Vtbl.Of<IComponentVtbl>(component)->PluginBase.Terminate(component);
        Assert.Equal(1, host.ReferenceCount);
        Vtbl.Release(cp);
        Vtbl.Release(component);
        Vtbl.Release(f);
        ping.Release();
        host.Release();
    }

    [Fact]
    public void Event_reader_copies_note_on_and_off_from_the_host_list()
    {
        Event on = new() { SampleOffset = 3, Type = EventTypes.NoteOn };
        on.NoteOn = new NoteOnEvent { Channel = 1, Pitch = 60, Velocity = 0.8f, NoteId = 7, Length = 100 };
        Event off = new() { SampleOffset = 40, Type = EventTypes.NoteOff };
        off.NoteOff = new NoteOffEvent { Channel = 1, Pitch = 60, Velocity = 0.2f, NoteId = 7 };
        var list = new FakeEventList(on, off);
        var output = new FakeEventList();
        ProcessData data = new() { NumSamples = 64, InputEvents = list.Pointer, OutputEvents = output.Pointer };

        var block = new ProcessBlock(&data);
        Assert.Equal(2, block.InputEvents.Count);
        Assert.True(block.InputEvents.TryGetEvent(0, out var e0));
        Assert.Equal(EventTypes.NoteOn, e0.Type);
        Assert.Equal(3, e0.SampleOffset);
        Assert.Equal(60, e0.NoteOn.Pitch);
        Assert.Equal(0.8f, e0.NoteOn.Velocity);
        Assert.Equal(7, e0.NoteOn.NoteId);
        Assert.True(block.InputEvents.TryGetEvent(1, out var e1));
        Assert.Equal(EventTypes.NoteOff, e1.Type);
        Assert.Equal(0.2f, e1.NoteOff.Velocity);
        Assert.Equal(7, e1.NoteOff.NoteId);
        Assert.False(block.InputEvents.TryGetEvent(2, out var none));
        Assert.Equal(0, none.Type + none.SampleOffset);
        Assert.True(block.OutputEvents.TryAdd(in e1));
        Assert.Equal(40, Assert.Single(output.Events).SampleOffset);

        list.Release();
        output.Release();
    }
}
