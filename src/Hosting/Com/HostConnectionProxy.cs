using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Hosting.Com;

/// <summary>
/// The host's <c>IConnectionPoint</c> proxy between component and controller (as the SDK's PlugProvider does): the
/// plugin side <see cref="Source"/> is connected to this proxy, and every message it sends is forwarded to
/// <see cref="Destination"/>. Neither plugin object ever sees the other's pointer.
/// </summary>
public sealed unsafe class HostConnectionProxy : ComObject
{
    private void* _source;      // IConnectionPoint* of the plugin object this proxy fronts for (owned ref)
    private void* _destination; // IConnectionPoint* messages are forwarded to (owned ref)
    private int _forwarded;

    public HostConnectionProxy(void* source) : base(s_interfaces)
    {
        if (source == null) throw new ArgumentNullException(nameof(source));
        _source = source;
        Vtbl.AddRef(source);
    }

    public nint Source => (nint)_source;

    public nint Destination => (nint)_destination;

    /// <summary>Messages forwarded so far (diagnostics).</summary>
    public int MessagesForwarded => Volatile.Read(ref _forwarded);

    /// <summary>Stores <paramref name="destination"/> and calls <c>source.connect(this proxy)</c>.</summary>
    public int ConnectTo(void* destination)
    {
        if (destination == null) return TResult.InvalidArgument;
        if (_destination != null) return TResult.ResultFalse;
        _destination = destination;
        Vtbl.AddRef(destination);
        int r = Vtbl.Of<IConnectionPointVtbl>(_source)->Connect(_source, (void*)Pointer);
        if (r != TResult.ResultOk)
        {
            Vtbl.Release(_destination);
            _destination = null;
        }
        return r;
    }

    /// <summary>Calls <c>source.disconnect(this proxy)</c> and drops the destination.</summary>
    public int Disconnect()
    {
        if (_destination == null) return TResult.ResultFalse;
        int r = Vtbl.Of<IConnectionPointVtbl>(_source)->Disconnect(_source, (void*)Pointer);
        Vtbl.Release(_destination);
        _destination = null;
        return r;
    }

    protected override void OnFinalRelease()
    {
        if (_destination != null) Vtbl.Release(_destination);
        _destination = null;
        Vtbl.Release(_source);
        _source = null;
    }

    // ---- IConnectionPoint ---------------------------------------------------------------------------

    private static readonly ComInterface[] s_interfaces =
    [
        new(CreateVtable(new IConnectionPointVtbl { Connect = &ConnectThunk, Disconnect = &DisconnectThunk, Notify = &NotifyThunk }), Iids.IConnectionPoint),
    ];

    // The plugin never connects a host proxy to something else; the host drives connection itself.
    [UnmanagedCallersOnly]
    private static int ConnectThunk(void* self, void* other) => TResult.ResultFalse;

    [UnmanagedCallersOnly]
    private static int DisconnectThunk(void* self, void* other)
    {
        try { return TryFromThis<HostConnectionProxy>(self) is { } p && p._destination != null ? TResult.ResultOk : TResult.ResultFalse; }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int NotifyThunk(void* self, void* message)
    {
        try
        {
            var p = TryFromThis<HostConnectionProxy>(self);
            if (p == null || message == null) return TResult.InvalidArgument;
            if (p._destination == null) return TResult.ResultFalse;
            Interlocked.Increment(ref p._forwarded);
            return Vtbl.Of<IConnectionPointVtbl>(p._destination)->Notify(p._destination, message);
        }
        catch (Exception e) { return TResult.FromException(e); }
    }
}
