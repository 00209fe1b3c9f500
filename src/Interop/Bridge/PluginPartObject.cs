using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;

namespace NPlug.Buffers.Interop.Bridge;

/// <summary>
/// What the processor and controller objects share: each is one side of a VST3 plugin that holds host pointers
/// (<see cref="HostConnections"/>) and talks to its peer through IConnectionPoint. The IConnectionPoint vtable and
/// its trampolines live here once, so both sides connect, disconnect and deliver messages the same way.
/// </summary>
public abstract unsafe class PluginPartObject : ComObject
{
    private protected PluginPartObject(ComInterface[] interfaces)
        : base(interfaces)
    {
    }

    /// <summary>The host context, the peer connection and the messages sent through it.</summary>
    private protected HostConnections Host { get; } = new();

    /// <summary>The managed side (processor or controller) that receives messages.</summary>
    private protected abstract PluginComponentBase Part { get; }

    /// <summary>One IConnectionPoint vtable for every plugin part.</summary>
    internal static readonly IConnectionPointVtbl* ConnectionPointVtable = BuildConnectionPoint();

    private static IConnectionPointVtbl* BuildConnectionPoint()
    {
        var v = AllocateVtable<IConnectionPointVtbl>();
        v->Connect = &ConnectThunk;
        v->Disconnect = &DisconnectThunk;
        v->Notify = &NotifyThunk;
        return v;
    }

    private static PluginPartObject Self(void* self) => FromThis<PluginPartObject>(self);

    [UnmanagedCallersOnly]
    private static int ConnectThunk(void* self, void* other)
    {
        try { var o = Self(self); return o.Host.Connect(other, o.Part); } catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int DisconnectThunk(void* self, void* other)
    {
        try { var o = Self(self); return o.Host.Disconnect(other, o.Part); } catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int NotifyThunk(void* self, void* message)
    {
        try
        {
            if (message == null) return TResult.InvalidArgument;
            Self(self).Part.DeliverMessage(new HostMessage(message));
            return TResult.ResultOk;
        }
        catch (Exception e) { return TResult.FromException(e); }
    }
}
