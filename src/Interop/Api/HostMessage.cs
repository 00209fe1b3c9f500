using System.Text;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Interop.Api;

/// <summary>Fills a message before it is sent to the connected peer.</summary>
public delegate void MessageBuilder(HostMessage message);

/// <summary>
/// A host <c>IMessage</c> and its attribute list, for processor ↔ controller communication through
/// <c>IConnectionPoint</c>. Borrowed: valid only inside the callback that received it. UI thread only
/// (keys are converted to UTF-8 per call).
/// </summary>
public readonly unsafe ref struct HostMessage
{
    private readonly void* _message;

    public HostMessage(void* message) => _message = message;

    public bool IsAvailable => _message != null;

    public string Id => _message == null ? string.Empty : AbiStrings.ReadCString(Vtbl.Of<IMessageVtbl>(_message)->GetMessageId(_message));

    public void SetId(string id)
    {
        if (_message == null) return;
        Span<byte> scratch = stackalloc byte[CStrings.StackBytes];
        fixed (byte* p = CStrings.Of(id, scratch)) Vtbl.Of<IMessageVtbl>(_message)->SetMessageId(_message, p);
    }

    private void* Attributes => _message == null ? null : Vtbl.Of<IMessageVtbl>(_message)->GetAttributes(_message);

    public bool TryGetInt(string key, out long value)
    {
        long v = 0;
        void* a = Attributes;
        bool ok = false;
        Span<byte> scratch = stackalloc byte[CStrings.StackBytes];
        if (a != null) fixed (byte* k = CStrings.Of(key, scratch)) ok = Vtbl.Of<IAttributeListVtbl>(a)->GetInt(a, k, &v) == TResult.ResultOk;
        value = ok ? v : 0;
        return ok;
    }

    public bool TryGetFloat(string key, out double value)
    {
        double v = 0;
        void* a = Attributes;
        bool ok = false;
        Span<byte> scratch = stackalloc byte[CStrings.StackBytes];
        if (a != null) fixed (byte* k = CStrings.Of(key, scratch)) ok = Vtbl.Of<IAttributeListVtbl>(a)->GetFloat(a, k, &v) == TResult.ResultOk;
        value = ok ? v : 0;
        return ok;
    }

    /// <summary>Reads a string attribute of up to <paramref name="maxChars"/> UTF-16 units.</summary>
    public bool TryGetString(string key, out string value, int maxChars = 1024)
    {
        value = string.Empty;
        void* a = Attributes;
        if (a == null || maxChars <= 0) return false;
        var buffer = new char[maxChars];
        int r;
        Span<byte> scratch = stackalloc byte[CStrings.StackBytes];
        fixed (byte* k = CStrings.Of(key, scratch))
        fixed (char* b = buffer)
            r = Vtbl.Of<IAttributeListVtbl>(a)->GetString(a, k, b, (uint)(maxChars * sizeof(char)));
        if (r != TResult.ResultOk) return false;
        value = AbiStrings.ReadUtf16(buffer);
        return true;
    }

    /// <summary>Reads a string attribute into <paramref name="destination"/> (NUL excluded from <paramref name="length"/>); no allocation.</summary>
    public bool TryGetString(string key, Span<char> destination, out int length)
    {
        length = 0;
        void* a = Attributes;
        if (a == null || destination.IsEmpty) return false;
        int r;
        Span<byte> scratch = stackalloc byte[CStrings.StackBytes];
        fixed (byte* k = CStrings.Of(key, scratch))
        fixed (char* b = destination)
            r = Vtbl.Of<IAttributeListVtbl>(a)->GetString(a, k, b, (uint)(destination.Length * sizeof(char)));
        if (r != TResult.ResultOk) return false;
        int end = destination.IndexOf('\0');
        length = end < 0 ? destination.Length : end;
        return true;
    }

    /// <summary>A binary attribute as a span over the host's bytes (borrowed: valid while the message is); no allocation.</summary>
    public bool TryGetBinary(string key, out ReadOnlySpan<byte> value)
    {
        value = default;
        void* a = Attributes;
        if (a == null) return false;
        void* data = null;
        uint size = 0;
        int r;
        Span<byte> scratch = stackalloc byte[CStrings.StackBytes];
        fixed (byte* k = CStrings.Of(key, scratch)) r = Vtbl.Of<IAttributeListVtbl>(a)->GetBinary(a, k, &data, &size);
        if (r != TResult.ResultOk || (data == null && size != 0)) return false;
        value = new ReadOnlySpan<byte>(data, (int)Math.Min(size, int.MaxValue));
        return true;
    }

    /// <summary>Copies a binary attribute (the host owns the original bytes).</summary>
    public bool TryGetBinary(string key, out byte[] value)
    {
        value = [];
        void* a = Attributes;
        if (a == null) return false;
        void* data = null;
        uint size = 0;
        int r;
        Span<byte> scratch = stackalloc byte[CStrings.StackBytes];
        fixed (byte* k = CStrings.Of(key, scratch)) r = Vtbl.Of<IAttributeListVtbl>(a)->GetBinary(a, k, &data, &size);
        if (r != TResult.ResultOk || (data == null && size != 0)) return false;
        value = new ReadOnlySpan<byte>(data, (int)Math.Min(size, int.MaxValue)).ToArray();
        return true;
    }

    public bool SetInt(string key, long value)
    {
        void* a = Attributes;
        if (a == null) return false;
        Span<byte> scratch = stackalloc byte[CStrings.StackBytes];
        fixed (byte* k = CStrings.Of(key, scratch)) return Vtbl.Of<IAttributeListVtbl>(a)->SetInt(a, k, value) == TResult.ResultOk;
    }

    public bool SetFloat(string key, double value)
    {
        void* a = Attributes;
        if (a == null) return false;
        Span<byte> scratch = stackalloc byte[CStrings.StackBytes];
        fixed (byte* k = CStrings.Of(key, scratch)) return Vtbl.Of<IAttributeListVtbl>(a)->SetFloat(a, k, value) == TResult.ResultOk;
    }

    public bool SetString(string key, string value)
    {
        void* a = Attributes;
        if (a == null) return false;
        Span<byte> scratch = stackalloc byte[CStrings.StackBytes];
        // NUL-terminated copy of the value: on the stack when short, else one array.
        int length = value?.Length ?? 0;
        Span<char> text = length < 512 ? stackalloc char[length + 1] : new char[length + 1];
        value.AsSpan().CopyTo(text);
        text[length] = '\0';
        fixed (byte* k = CStrings.Of(key, scratch))
        fixed (char* v = text)
            return Vtbl.Of<IAttributeListVtbl>(a)->SetString(a, k, v) == TResult.ResultOk;
    }

    public bool SetBinary(string key, ReadOnlySpan<byte> value)
    {
        void* a = Attributes;
        if (a == null) return false;
        Span<byte> scratch = stackalloc byte[CStrings.StackBytes];
        fixed (byte* k = CStrings.Of(key, scratch))
        fixed (byte* v = value)
            return Vtbl.Of<IAttributeListVtbl>(a)->SetBinary(a, k, v, (uint)value.Length) == TResult.ResultOk;
    }
}

/// <summary>What the COM layer provides to send messages to the connected peer.</summary>
internal interface IMessageChannel
{
    bool Send(string messageId, MessageBuilder? build);
}

/// <summary>
/// What processors and controllers share: the host's name and messaging with the connected peer
/// (through the host's <c>IConnectionPoint</c> proxy; never from the audio thread).
/// </summary>
public abstract class PluginComponentBase
{
    internal IMessageChannel? MessageChannel { get; set; }

    /// <summary>The host's name from <c>IHostApplication::getName</c>, once initialized by a host.</summary>
    public string HostName { get; internal set; } = string.Empty;

    /// <summary>True while a peer is connected.</summary>
    public bool IsConnected => MessageChannel is not null;

    /// <summary>A message from the connected peer (UI thread).</summary>
    protected virtual void OnMessage(HostMessage message) { }

    /// <summary>Sends a message to the connected peer; false when unconnected or the host cannot create messages.</summary>
    protected bool TrySendMessage(string messageId, MessageBuilder? build = null) =>
        MessageChannel?.Send(messageId, build) ?? false;

    internal void DeliverMessage(HostMessage message) => OnMessage(message);

    /// <summary>
    /// A state read as a host call answers it: kResultOk when <paramref name="read"/> accepts the stream, kResultFalse
    /// when it refuses it or the stream is truncated or unreadable (a bad blob from the host is not a plugin error).
    /// </summary>
    /// <remarks>
    /// Dispatches through <see cref="ReadStateCore"/> rather than a delegate: a host may load state while the plugin
    /// processes, and a delegate per call would allocate on that thread (tests/Plugin.Tests HostThreadAllocationTests).
    /// </remarks>
    private protected int ReadState(Stream stream, StateKind kind)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            return ReadStateCore(kind, stream) ? TResult.ResultOk : TResult.ResultFalse;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException)
        {
            return TResult.ResultFalse;
        }
    }

    /// <summary>Reads one kind of state; the derived component or controller decides what each kind means.</summary>
    private protected virtual bool ReadStateCore(StateKind kind, Stream stream) => false;

    /// <summary>Which state a host call delivers.</summary>
    private protected enum StateKind
    {
        Own,
        Component,
    }
}
