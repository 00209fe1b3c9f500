using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Hosting.Com;

namespace NPlug.Buffers.Tests.Hosting;

/// <summary>The host-side COM objects, called through their native vtables exactly as a plugin would.</summary>
public sealed unsafe class HostComObjectTests
{
    [Fact]
    public void QueryInterface_answers_funknown_own_iid_and_refuses_others()
    {
        var stream = new HostBStream();
        void* self = (void*)stream.Pointer;
        var unknown = Vtbl.QueryInterface(self, Iids.FUnknown, out int r);
        Assert.Equal(TResult.ResultOk, r);
        Assert.Equal((nint)self, (nint)unknown);
        Assert.Equal(2, stream.ReferenceCount);
        var sizeable = Vtbl.QueryInterface(self, Iids.ISizeableStream, out r);
        Assert.Equal(TResult.ResultOk, r);
        Assert.NotEqual((nint)self, (nint)sizeable);
        // FUnknown from any interface of the object is the same identity pointer.
        Assert.Equal((nint)self, (nint)Vtbl.QueryInterface(sizeable, Iids.FUnknown, out _));
        void* none = (void*)1;
        r = Vtbl.Of<FUnknownVtbl>(self)->QueryInterface(self, Iids.IComponent.Pointer, &none);
        Assert.Equal(TResult.NoInterface, r);
        Assert.True(none == null);
        Assert.Equal(4, stream.ReferenceCount);
        Assert.Equal(3u, Vtbl.Release(self));
        Assert.Equal(2u, Vtbl.Release(sizeable));
        Assert.Equal(1u, Vtbl.Release(unknown));
        Assert.True(stream.IsAlive);
        Assert.Equal(0u, stream.Release());
        Assert.False(stream.IsAlive);
    }

    [Fact]
    public void BStream_reads_writes_seeks_and_tells_like_a_file()
    {
        var stream = new HostBStream(4);
        void* s = (void*)stream.Pointer;
        var vt = Vtbl.Of<IBStreamVtbl>(s);
        byte* data = stackalloc byte[100];
        for (int i = 0; i < 100; i++) data[i] = (byte)(i * 3);
        int n;
        Assert.Equal(TResult.ResultOk, vt->Write(s, data, 100, &n));
        Assert.Equal(100, n);
        long pos;
        Assert.Equal(TResult.ResultOk, vt->Tell(s, &pos));
        Assert.Equal(100, pos);
        Assert.Equal(TResult.ResultOk, vt->Seek(s, 10, StreamSeekModes.Set, &pos));
        Assert.Equal(10, pos);
        byte* back = stackalloc byte[200];
        Assert.Equal(TResult.ResultOk, vt->Read(s, back, 200, &n));
        Assert.Equal(90, n); // short read at the end
        for (int i = 0; i < 90; i++) Assert.Equal(data[10 + i], back[i]);
        Assert.Equal(TResult.ResultOk, vt->Seek(s, -5, StreamSeekModes.End, &pos));
        Assert.Equal(95, pos);
        Assert.Equal(TResult.InvalidArgument, vt->Seek(s, -1000, StreamSeekModes.Cur, null));
        Assert.Equal(TResult.InvalidArgument, vt->Read(s, null, 4, null));
        Assert.Equal(100, stream.ToArray().Length);
        stream.Release();
    }

    [Fact]
    public void Parameter_queues_keep_points_sorted_and_replace_equal_offsets()
    {
        var changes = new HostParameterChanges(maxParameters: 2, maxPointsPerParameter: 3);
        void* c = (void*)changes.Pointer;
        var vt = Vtbl.Of<IParameterChangesVtbl>(c);
        uint id = 7;
        int index;
        void* q = vt->AddParameterData(c, &id, &index);
        Assert.Equal(0, index);
        var qv = Vtbl.Of<IParamValueQueueVtbl>(q);
        Assert.Equal(7u, qv->GetParameterId(q));
        Assert.Equal(TResult.ResultOk, qv->AddPoint(q, 50, 0.5, &index));
        Assert.Equal(TResult.ResultOk, qv->AddPoint(q, 10, 0.1, &index));
        Assert.Equal(0, index);
        Assert.Equal(TResult.ResultOk, qv->AddPoint(q, 50, 0.6, &index)); // replaces
        Assert.Equal(1, index);
        Assert.Equal(2, qv->GetPointCount(q));
        int offset;
        double value;
        Assert.Equal(TResult.ResultOk, qv->GetPoint(q, 1, &offset, &value));
        Assert.Equal((50, 0.6), (offset, value));
        Assert.Equal(TResult.InvalidArgument, qv->GetPoint(q, 2, &offset, &value));
        Assert.True(vt->AddParameterData(c, &id, &index) == q); // same id → same queue
        uint id2 = 8, id3 = 9;
        Assert.True(vt->AddParameterData(c, &id2, &index) != null);
        Assert.True(vt->AddParameterData(c, &id3, &index) == null); // pool exhausted, no allocation
        Assert.Equal(-1, index);
        Assert.Equal(2, vt->GetParameterCount(c));
        Assert.True(vt->GetParameterData(c, 5) == null);
        changes.Clear();
        Assert.Equal(0, vt->GetParameterCount(c));
        changes.Release();
    }

    [Fact]
    public void Event_list_copies_note_events_out()
    {
        var events = new HostEventList(capacity: 2);
        Assert.True(events.AddNoteOn(12, 0, 60, 0.8f, noteId: 5));
        Assert.True(events.AddNoteOff(40, 0, 60));
        Assert.False(events.AddNoteOn(50, 0, 61, 1f)); // full
        void* l = (void*)events.Pointer;
        var vt = Vtbl.Of<IEventListVtbl>(l);
        Assert.Equal(2, vt->GetEventCount(l));
        Event e;
        Assert.Equal(TResult.ResultOk, vt->GetEvent(l, 0, &e));
        Assert.Equal(EventTypes.NoteOn, e.Type);
        Assert.Equal(12, e.SampleOffset);
        Assert.Equal(60, e.NoteOn.Pitch);
        Assert.Equal(0.8f, e.NoteOn.Velocity);
        Assert.Equal(5, e.NoteOn.NoteId);
        Assert.Equal(TResult.ResultOk, vt->GetEvent(l, 1, &e));
        Assert.Equal(EventTypes.NoteOff, e.Type);
        Assert.Equal(TResult.InvalidArgument, vt->GetEvent(l, 2, &e));
        events.Release();
    }

    [Fact]
    public void Host_application_creates_messages_with_attribute_lists()
    {
        var host = new HostApplication("TestHost");
        void* h = (void*)host.Pointer;
        var vt = Vtbl.Of<IHostApplicationVtbl>(h);
        char* name = stackalloc char[128];
        Assert.Equal(TResult.ResultOk, vt->GetName(h, name));
        Assert.Equal("TestHost", new string(name));
        void* msg = null;
        Assert.Equal(TResult.ResultOk, vt->CreateInstance(h, Iids.IMessage.Pointer, Iids.IMessage.Pointer, &msg));
        Assert.True(msg != null);
        var mv = Vtbl.Of<IMessageVtbl>(msg);
        fixed (byte* id = "Meter\0"u8)
        fixed (byte* key = "peak\0"u8)
        fixed (byte* text = "label\0"u8)
        fixed (char* hello = "hello")
        {
            mv->SetMessageId(msg, id);
            Assert.Equal("Meter", System.Runtime.InteropServices.Marshal.PtrToStringUTF8((nint)mv->GetMessageId(msg)));
            void* attrs = mv->GetAttributes(msg);
            var av = Vtbl.Of<IAttributeListVtbl>(attrs);
            Assert.Equal(TResult.ResultOk, av->SetFloat(attrs, key, 0.25));
            double d;
            Assert.Equal(TResult.ResultOk, av->GetFloat(attrs, key, &d));
            Assert.Equal(0.25, d);
            long l;
            Assert.Equal(TResult.ResultFalse, av->GetInt(attrs, key, &l)); // wrong type
            Assert.Equal(TResult.ResultOk, av->SetString(attrs, text, hello));
            char* small = stackalloc char[3];
            Assert.Equal(TResult.ResultOk, av->GetString(attrs, text, small, 3 * sizeof(char))); // truncated, NUL-terminated
            Assert.Equal("he", new string(small));
        }
        void* none = (void*)1;
        Assert.Equal(TResult.NoInterface, vt->CreateInstance(h, Iids.IComponent.Pointer, Iids.IComponent.Pointer, &none));
        Assert.True(none == null);
        Assert.Equal(0u, Vtbl.Release(msg)); // the caller owned the only reference
        Assert.Equal(1, host.MessagesCreated);
        host.Release();
    }
}
