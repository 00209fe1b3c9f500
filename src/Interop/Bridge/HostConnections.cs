using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;

namespace NPlug.Buffers.Interop.Bridge;

/// <summary>
/// The host pointers a component or controller keeps between calls: the initialize context, its
/// <c>IHostApplication</c>, and the connected peer. All add-ref'd; <see cref="ReleaseAll"/> in terminate.
/// </summary>
internal sealed unsafe class HostConnections : IMessageChannel
{
    private HostPointer _context;
    private HostPointer _hostApplication;
    private HostPointer _peer;

    public void* HostApplication => _hostApplication.Value;

    public void* Peer => _peer.Value;

    public void SetContext(void* context)
    {
        _context.Set(context);
        _hostApplication.Attach(context == null ? null : Vtbl.QueryInterface(context, Iids.IHostApplication, out _));
    }

    public int Connect(void* other, PluginComponentBase part)
    {
        if (other == null) return TResult.InvalidArgument;
        if (!_peer.IsNull) return TResult.ResultFalse;
        _peer.Set(other);
        part.MessageChannel = this;
        return TResult.ResultOk;
    }

    public int Disconnect(void* other, PluginComponentBase part)
    {
        if (other == null || other != _peer.Value) return TResult.ResultFalse;
        _peer.Clear();
        part.MessageChannel = null;
        return TResult.ResultOk;
    }

    public bool Send(string messageId, MessageBuilder? build)
    {
        void* peer = _peer.Value;
        if (peer == null) return false;
        void* message = HostApplicationCalls.CreateMessage(_hostApplication.Value);
        if (message == null) return false;
        try
        {
            var m = new HostMessage(message);
            m.SetId(messageId);
            build?.Invoke(m);
            return Vtbl.Of<IConnectionPointVtbl>(peer)->Notify(peer, message) == TResult.ResultOk;
        }
        finally
        {
            Vtbl.Release(message); // created for us: we own it
        }
    }

    public void ReleaseAll(PluginComponentBase part)
    {
        part.MessageChannel = null;
        _peer.Clear();
        _hostApplication.Clear();
        _context.Clear();
    }
}
