using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Hosting.Com;

/// <summary>Host-side <c>IEventList</c> with fixed capacity (no allocation after construction).</summary>
public sealed unsafe class HostEventList : HostList
{
    private readonly Event[] _events;

    public HostEventList(int capacity = 512) : base(s_interfaces)
    {
        _events = new Event[capacity];
    }

    public ref readonly Event this[int index] => ref _events[(uint)index < (uint)Count ? index : throw new ArgumentOutOfRangeException(nameof(index))];

    public void Clear() => Count = 0;

    public bool Add(in Event e)
    {
        if (Count == _events.Length) return false;
        _events[Count++] = e;
        return true;
    }

    public bool AddNoteOn(int sampleOffset, short channel, short pitch, float velocity, int noteId = -1, int busIndex = 0) =>
        Add(new Event
        {
            BusIndex = busIndex, SampleOffset = sampleOffset, Type = EventTypes.NoteOn,
            NoteOn = new NoteOnEvent { Channel = channel, Pitch = pitch, Velocity = velocity, NoteId = noteId },
        });

    public bool AddNoteOff(int sampleOffset, short channel, short pitch, float velocity = 0f, int noteId = -1, int busIndex = 0) =>
        Add(new Event
        {
            BusIndex = busIndex, SampleOffset = sampleOffset, Type = EventTypes.NoteOff,
            NoteOff = new NoteOffEvent { Channel = channel, Pitch = pitch, Velocity = velocity, NoteId = noteId },
        });

    private int CopyEvent(int index, Event* e)
    {
        if (e == null || (uint)index >= (uint)Count) return TResult.InvalidArgument;
        *e = _events[index];
        return TResult.ResultOk;
    }

    // ---- IEventList ------------------------------------------------------------------------------

    private static readonly ComInterface[] s_interfaces =
    [
        new(CreateVtable(new IEventListVtbl { GetEventCount = &CountThunk, GetEvent = &GetEventThunk, AddEvent = &AddEventThunk }), Iids.IEventList),
    ];

    [UnmanagedCallersOnly]
    private static int GetEventThunk(void* self, int index, Event* e)
    {
        try { return TryFromThis<HostEventList>(self)?.CopyEvent(index, e) ?? TResult.InvalidArgument; }
        catch (Exception ex) { return TResult.FromException(ex); }
    }

    [UnmanagedCallersOnly]
    private static int AddEventThunk(void* self, Event* e)
    {
        try { return TryFromThis<HostEventList>(self) is { } l && e != null ? (l.Add(*e) ? TResult.ResultOk : TResult.OutOfMemory) : TResult.InvalidArgument; }
        catch (Exception ex) { return TResult.FromException(ex); }
    }
}
