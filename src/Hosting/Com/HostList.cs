using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Hosting.Com;

/// <summary>
/// What the host's process-data lists share (<see cref="HostEventList"/>, <see cref="HostParameterChanges"/> and its
/// <see cref="HostParamValueQueue"/>s): storage fixed at construction, so the audio thread never allocates, and a
/// count the plugin reads through the list's count slot (<see cref="CountThunk"/>).
/// </summary>
public abstract unsafe class HostList : ComObject
{
    private protected HostList(ComInterface[] interfaces) : base(interfaces) { }

    /// <summary>Entries in use (the rest of the storage is spare).</summary>
    public int Count { get; private protected set; }

    /// <summary>getEventCount, getParameterCount, getPointCount: the count, or 0 for a bad this.</summary>
    [UnmanagedCallersOnly]
    private protected static int CountThunk(void* self)
    {
        try { return TryFromThis<HostList>(self)?.Count ?? 0; }
        catch { return 0; }
    }
}
