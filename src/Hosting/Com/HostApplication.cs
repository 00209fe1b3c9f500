using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Hosting.Com;

/// <summary>
/// The <c>IHostApplication</c> context given to <c>initialize</c>: reports the host name and creates
/// <c>IMessage</c>/<c>IAttributeList</c> objects for plugins (owned by the caller, which releases them).
/// </summary>
public sealed unsafe class HostApplication : ComObject
{
    public HostApplication(string name = "NPlug.Buffers Host") : base(s_interfaces)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>How many messages plugins created through this context (diagnostics for tests).</summary>
    public int MessagesCreated => Volatile.Read(ref _messagesCreated);

    private int _messagesCreated;

    // ---- IHostApplication ---------------------------------------------------------------------------

    private static readonly ComInterface[] s_interfaces =
    [
        new(CreateVtable(new IHostApplicationVtbl { GetName = &GetNameThunk, CreateInstance = &CreateInstanceThunk }), Iids.IHostApplication),
    ];

    [UnmanagedCallersOnly]
    private static int GetNameThunk(void* self, char* name)
    {
        try
        {
            var h = TryFromThis<HostApplication>(self);
            if (h == null || name == null) return TResult.InvalidArgument;
            AbiStrings.WriteString128(name, h.Name);
            return TResult.ResultOk;
        }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int CreateInstanceThunk(void* self, Tuid* cid, Tuid* iid, void** obj)
    {
        try
        {
            if (obj == null) return TResult.InvalidArgument;
            *obj = null;
            var h = TryFromThis<HostApplication>(self);
            if (h == null || cid == null || iid == null) return TResult.InvalidArgument;
            ComObject created;
            if (Iids.IMessage.Matches(cid))
            {
                created = new HostMessage();
                Interlocked.Increment(ref h._messagesCreated);
            }
            else if (Iids.IAttributeList.Matches(cid))
            {
                created = new HostAttributeList();
            }
            else
            {
                return TResult.NoInterface;
            }
            // created holds 1; QI adds the caller's reference, then we drop ours (the SDK's create/QI/release pattern).
            int r = created.QueryInterface(iid, obj);
            created.Release();
            return r;
        }
        catch (Exception e) { return TResult.FromException(e); }
    }
}

/// <summary>One call a controller made on the host's <c>IComponentHandler</c>.</summary>
public readonly record struct ComponentHandlerCall(string Method, uint ParameterId, double Value, int Flags);

/// <summary>
/// The <c>IComponentHandler</c> given to the controller. Records every edit and restart request so hosts and
/// tests can see what the controller asked for (UI thread only, so a plain list is fine).
/// </summary>
public sealed unsafe class HostComponentHandler : ComObject
{
    private readonly List<ComponentHandlerCall> _calls = [];

    public HostComponentHandler() : base(s_interfaces) { }

    public IReadOnlyList<ComponentHandlerCall> Calls => _calls;

    /// <summary>Raised for every restartComponent request (e.g. kLatencyChanged = 8).</summary>
    public event Action<int>? RestartRequested;

    public void ClearCalls() => _calls.Clear();

    private int Record(string method, uint id, double value, int flags)
    {
        _calls.Add(new ComponentHandlerCall(method, id, value, flags));
        return TResult.ResultOk;
    }

    // ---- IComponentHandler -------------------------------------------------------------------------

    private static readonly ComInterface[] s_interfaces =
    [
        new(CreateVtable(new IComponentHandlerVtbl
        {
            BeginEdit = &BeginEdit, PerformEdit = &PerformEdit, EndEdit = &EndEdit, RestartComponent = &RestartComponent,
        }), Iids.IComponentHandler),
    ];

    [UnmanagedCallersOnly]
    private static int BeginEdit(void* self, uint id)
    {
        try { return TryFromThis<HostComponentHandler>(self)?.Record("beginEdit", id, 0, 0) ?? TResult.InvalidArgument; }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int PerformEdit(void* self, uint id, double value)
    {
        try { return TryFromThis<HostComponentHandler>(self)?.Record("performEdit", id, value, 0) ?? TResult.InvalidArgument; }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int EndEdit(void* self, uint id)
    {
        try { return TryFromThis<HostComponentHandler>(self)?.Record("endEdit", id, 0, 0) ?? TResult.InvalidArgument; }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int RestartComponent(void* self, int flags)
    {
        try
        {
            var h = TryFromThis<HostComponentHandler>(self);
            if (h == null) return TResult.InvalidArgument;
            h.Record("restartComponent", 0, 0, flags);
            h.RestartRequested?.Invoke(flags);
            return TResult.ResultOk;
        }
        catch (Exception e) { return TResult.FromException(e); }
    }
}
