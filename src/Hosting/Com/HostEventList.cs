using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Hosting.Com;

/// <summary>Host-side <c>IEventList</c> with fixed capacity (no allocation after construction).</summary>
public sealed unsafe class HostEventList : ComObject
{
    private static readonly ComInterface[] s_interfaces = [new(CreateVtable(), Iids.IEventList)];

    private readonly Event[] _events;
    private int _count;

    public HostEventList(int capacity = 512) : base(s_interfaces)
    {
        _events = new Event[capacity];
    }

    public int Count => _count;

    public ref readonly Event this[int index] => ref _events[(uint)index < (uint)_count ? index : throw new ArgumentOutOfRangeException(nameof(index))];

    public void Clear() => _count = 0;

    public bool Add(in Event e)
    {
        if (_count == _events.Length) return false;
        _events[_count++] = e;
        return true;
    }

    public bool AddNoteOn(int sampleOffset, short channel, short pitch, float velocity, int noteId = -1, int busIndex = 0)
    {
        var e = new Event { BusIndex = busIndex, SampleOffset = sampleOffset, Type = EventTypes.NoteOn };
        e.NoteOn.Channel = channel;
        e.NoteOn.Pitch = pitch;
        e.NoteOn.Velocity = velocity;
        e.NoteOn.NoteId = noteId;
        return Add(e);
    }

    public bool AddNoteOff(int sampleOffset, short channel, short pitch, float velocity = 0f, int noteId = -1, int busIndex = 0)
    {
        var e = new Event { BusIndex = busIndex, SampleOffset = sampleOffset, Type = EventTypes.NoteOff };
        e.NoteOff.Channel = channel;
        e.NoteOff.Pitch = pitch;
        e.NoteOff.Velocity = velocity;
        e.NoteOff.NoteId = noteId;
        return Add(e);
    }

    private static nint CreateVtable()
    {
        var t = AllocateVtable<IEventListVtbl>();
        t->GetEventCount = &GetEventCountThunk;
        t->GetEvent = &GetEventThunk;
        t->AddEvent = &AddEventThunk;
        return (nint)t;
    }

    [UnmanagedCallersOnly]
    private static int GetEventCountThunk(void* self)
    {
        try { return TryFromThis<HostEventList>(self)?._count ?? 0; }
        catch { return 0; }
    }

    [UnmanagedCallersOnly]
    private static int GetEventThunk(void* self, int index, Event* e)
    {
        try
        {
            var l = TryFromThis<HostEventList>(self);
            if (l == null || e == null || (uint)index >= (uint)l._count) return TResult.InvalidArgument;
            *e = l._events[index];
            return TResult.ResultOk;
        }
        catch (Exception ex) { return TResult.FromException(ex); }
    }

    [UnmanagedCallersOnly]
    private static int AddEventThunk(void* self, Event* e)
    {
        try
        {
            var l = TryFromThis<HostEventList>(self);
            if (l == null || e == null) return TResult.InvalidArgument;
            return l.Add(*e) ? TResult.ResultOk : TResult.OutOfMemory;
        }
        catch (Exception ex) { return TResult.FromException(ex); }
    }
}
