using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Interop.Api;

/// <summary>
/// Reads the host's input <c>IEventList</c> for this block (notes, poly pressure, ...). A null list reads
/// as "count 0". Events are copied into a caller-owned 48-byte <see cref="Event"/>; switch on
/// <see cref="Event.Type"/> (<see cref="EventTypes"/>) and read the matching union member.
/// </summary>
public readonly unsafe ref struct EventListReader
{
    private readonly void* _list;

    public EventListReader(void* eventList) => _list = eventList;

    public bool IsAvailable => _list != null;

    public int Count => _list == null ? 0 : Math.Max(0, Vtbl.Of<IEventListVtbl>(_list)->GetEventCount(_list));

    public bool TryGetEvent(int index, out Event e)
    {
        Event local = default;
        bool ok = _list != null && index >= 0 && Vtbl.Of<IEventListVtbl>(_list)->GetEvent(_list, index, &local) == TResult.ResultOk;
        e = ok ? local : default;
        return ok;
    }
}

/// <summary>Writes to the host's optional output <c>IEventList</c>; false when there is none.</summary>
public readonly unsafe ref struct EventListWriter
{
    private readonly void* _list;

    public EventListWriter(void* eventList) => _list = eventList;

    public bool IsAvailable => _list != null;

    public bool TryAdd(in Event e)
    {
        if (_list == null) return false;
        Event copy = e;
        return Vtbl.Of<IEventListVtbl>(_list)->AddEvent(_list, &copy) == TResult.ResultOk;
    }
}
