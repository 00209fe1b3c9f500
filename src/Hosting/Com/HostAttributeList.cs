using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Hosting.Com;

/// <summary>Host-side <c>IAttributeList</c>: typed values by NUL-terminated ASCII key (UI thread only).</summary>
public sealed unsafe class HostAttributeList : ComObject
{
    // A value's type is its attribute kind: long (int), double (float), string, or NativeBinary. A get* of another
    // kind than was set answers kResultFalse, as for an absent key.
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);

    public HostAttributeList() : base(s_interfaces) { }

    /// <summary>A binary value copied to native memory, so getBinary can hand out a pointer that stays valid.</summary>
    private sealed class NativeBinary
    {
        public NativeBinary(void* data, uint size)
        {
            Pointer = NativeMemory.Alloc(Math.Max(1u, size));
            Size = size;
            if (size > 0) Buffer.MemoryCopy(data, Pointer, size, size);
        }

        public void* Pointer { get; private set; }

        public uint Size { get; private set; }

        public void Free()
        {
            NativeMemory.Free(Pointer);
            Pointer = null;
            Size = 0;
        }
    }

    public IReadOnlyCollection<string> Keys => _values.Keys;

    public bool TryGetInt(string key, out long value) => TryGet(key, out value);

    public bool TryGetFloat(string key, out double value) => TryGet(key, out value);

    public bool TryGetString(string key, out string value)
    {
        bool found = TryGet(key, out string? s);
        value = s ?? string.Empty;
        return found;
    }

    public bool TryGetBinary(string key, out byte[] value)
    {
        bool found = TryGet(key, out NativeBinary? b);
        value = found ? new ReadOnlySpan<byte>(b!.Pointer, (int)b.Size).ToArray() : [];
        return found;
    }

    private bool TryGet<T>(string key, out T? value)
    {
        bool found = _values.TryGetValue(key, out var v) && v is T;
        value = found ? (T)v! : default;
        return found;
    }

    private void Store(string key, object value)
    {
        if (_values.TryGetValue(key, out var old)) (old as NativeBinary)?.Free();
        _values[key] = value;
    }

    protected override void OnFinalRelease()
    {
        foreach (var v in _values.Values) (v as NativeBinary)?.Free();
        _values.Clear();
    }

    /// <summary>The list and key a set*/get* call names; false for a bad this or key (kInvalidArgument).</summary>
    private static bool TryResolve(void* self, byte* id, [NotNullWhen(true)] out HostAttributeList? list, [NotNullWhen(true)] out string? key)
    {
        list = TryFromThis<HostAttributeList>(self);
        key = id == null ? null : Marshal.PtrToStringUTF8((nint)id);
        return list != null && key != null;
    }

    private static int Set(void* self, byte* id, object value)
    {
        if (!TryResolve(self, id, out var list, out var key)) return TResult.InvalidArgument;
        list.Store(key, value);
        return TResult.ResultOk;
    }

    /// <summary>What a get* call reads: kResultOk with the value, kResultFalse if absent or of another kind,
    /// kInvalidArgument for a bad this or key.</summary>
    private static int Get<T>(void* self, byte* id, out T? value)
    {
        value = default;
        if (!TryResolve(self, id, out var list, out var key)) return TResult.InvalidArgument;
        return list.TryGet(key, out value) ? TResult.ResultOk : TResult.ResultFalse;
    }

    /// <summary>getInt and getFloat: <see cref="Get{T}"/> into the caller's variable.</summary>
    private static int GetNumber<T>(void* self, byte* id, T* value) where T : unmanaged
    {
        if (value == null) return TResult.InvalidArgument;
        int r = Get(self, id, out T v);
        if (r == TResult.ResultOk) *value = v;
        return r;
    }

    // ---- IAttributeList ----------------------------------------------------------------------------

    private static readonly ComInterface[] s_interfaces =
    [
        new(CreateVtable(new IAttributeListVtbl
        {
            SetInt = &SetIntThunk, GetInt = &GetIntThunk,
            SetFloat = &SetFloatThunk, GetFloat = &GetFloatThunk,
            SetString = &SetStringThunk, GetString = &GetStringThunk,
            SetBinary = &SetBinaryThunk, GetBinary = &GetBinaryThunk,
        }), Iids.IAttributeList),
    ];

    // Setters, then getters; the table above gives the slot order.

    [UnmanagedCallersOnly]
    private static int SetIntThunk(void* self, byte* id, long value)
    {
        try { return Set(self, id, value); }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int SetFloatThunk(void* self, byte* id, double value)
    {
        try { return Set(self, id, value); }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int SetStringThunk(void* self, byte* id, char* value)
    {
        try { return value == null ? TResult.InvalidArgument : Set(self, id, new string(value)); }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int SetBinaryThunk(void* self, byte* id, void* data, uint sizeInBytes)
    {
        try
        {
            if ((data == null && sizeInBytes > 0) || !TryResolve(self, id, out var list, out var key)) return TResult.InvalidArgument;
            list.Store(key, new NativeBinary(data, sizeInBytes));
            return TResult.ResultOk;
        }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int GetIntThunk(void* self, byte* id, long* value)
    {
        try { return GetNumber(self, id, value); }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int GetFloatThunk(void* self, byte* id, double* value)
    {
        try { return GetNumber(self, id, value); }
        catch (Exception e) { return TResult.FromException(e); }
    }

    // sizeInBytes is a byte count (not chars), per the SDK; the copy is truncated and always NUL-terminated.
    [UnmanagedCallersOnly]
    private static int GetStringThunk(void* self, byte* id, char* value, uint sizeInBytes)
    {
        try
        {
            if (value == null || sizeInBytes < sizeof(char)) return TResult.InvalidArgument;
            int r = Get(self, id, out string? s);
            if (r != TResult.ResultOk) return r;
            int capacity = (int)(sizeInBytes / sizeof(char));
            int n = Math.Min(s!.Length, capacity - 1);
            s.AsSpan(0, n).CopyTo(new Span<char>(value, n));
            value[n] = '\0';
            return TResult.ResultOk;
        }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int GetBinaryThunk(void* self, byte* id, void** data, uint* sizeInBytes)
    {
        try
        {
            if (data == null || sizeInBytes == null) return TResult.InvalidArgument;
            int r = Get(self, id, out NativeBinary? b);
            if (r != TResult.ResultOk) return r;
            *data = b!.Pointer;
            *sizeInBytes = b.Size;
            return TResult.ResultOk;
        }
        catch (Exception e) { return TResult.FromException(e); }
    }
}

/// <summary>Host-side <c>IMessage</c>: an id plus an owned attribute list. Created for plugins through IHostApplication.</summary>
public sealed unsafe class HostMessage : ComObject
{
    private byte* _id;

    public HostMessage() : base(s_interfaces) { }

    public HostAttributeList Attributes { get; } = new();

    public string? MessageId => _id == null ? null : Marshal.PtrToStringUTF8((nint)_id);

    public void SetMessageId(string? id)
    {
        if (_id != null) NativeMemory.Free(_id);
        _id = null;
        if (id == null) return;
        int n = Encoding.UTF8.GetByteCount(id);
        _id = (byte*)NativeMemory.Alloc((nuint)n + 1);
        Encoding.UTF8.GetBytes(id, new Span<byte>(_id, n));
        _id[n] = 0;
    }

    protected override void OnFinalRelease()
    {
        SetMessageId(null);
        Attributes.Release();
    }

    // ---- IMessage -----------------------------------------------------------------------------------

    private static readonly ComInterface[] s_interfaces =
    [
        new(CreateVtable(new IMessageVtbl { GetMessageId = &GetMessageIdThunk, SetMessageId = &SetMessageIdThunk, GetAttributes = &GetAttributesThunk }),
            Iids.IMessage),
    ];

    [UnmanagedCallersOnly]
    private static byte* GetMessageIdThunk(void* self)
    {
        try { return TryFromThis<HostMessage>(self) is { } m ? m._id : null; }
        catch { return null; }
    }

    [UnmanagedCallersOnly]
    private static void SetMessageIdThunk(void* self, byte* id)
    {
        try { TryFromThis<HostMessage>(self)?.SetMessageId(id == null ? null : Marshal.PtrToStringUTF8((nint)id)); }
        catch { /* a bad id leaves the message unchanged */ }
    }

    // Borrowed: the list belongs to the message (SDK semantics), so no addRef.
    [UnmanagedCallersOnly]
    private static void* GetAttributesThunk(void* self)
    {
        try { return TryFromThis<HostMessage>(self) is { } m ? (void*)m.Attributes.Pointer : null; }
        catch { return null; }
    }
}
