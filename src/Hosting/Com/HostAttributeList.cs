using System.Runtime.InteropServices;
using System.Text;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Hosting.Com;

/// <summary>Host-side <c>IAttributeList</c>: typed values by NUL-terminated ASCII key (UI thread only).</summary>
public sealed unsafe class HostAttributeList : ComObject
{
    private static readonly ComInterface[] s_interfaces = [new(CreateVtable(), Iids.IAttributeList)];

    private readonly Dictionary<string, Attribute> _values = new(StringComparer.Ordinal);

    public HostAttributeList() : base(s_interfaces) { }

    private sealed class Attribute
    {
        public long Int;
        public double Float;
        public string? String;
        public nint Binary;   // native copy, so getBinary can hand out a pointer that stays valid
        public uint BinarySize;
        public char Kind;     // 'i', 'f', 's', 'b'
    }

    public IReadOnlyCollection<string> Keys => _values.Keys;

    public bool TryGetInt(string key, out long value)
    {
        value = 0;
        if (!_values.TryGetValue(key, out var a) || a.Kind != 'i') return false;
        value = a.Int;
        return true;
    }

    public bool TryGetFloat(string key, out double value)
    {
        value = 0;
        if (!_values.TryGetValue(key, out var a) || a.Kind != 'f') return false;
        value = a.Float;
        return true;
    }

    public bool TryGetString(string key, out string value)
    {
        value = string.Empty;
        if (!_values.TryGetValue(key, out var a) || a.Kind != 's') return false;
        value = a.String!;
        return true;
    }

    public bool TryGetBinary(string key, out byte[] value)
    {
        value = [];
        if (!_values.TryGetValue(key, out var a) || a.Kind != 'b') return false;
        value = new ReadOnlySpan<byte>((void*)a.Binary, (int)a.BinarySize).ToArray();
        return true;
    }

    private Attribute Slot(string key)
    {
        if (_values.TryGetValue(key, out var a))
        {
            FreeBinary(a);
            return a;
        }
        a = new Attribute();
        _values[key] = a;
        return a;
    }

    private static void FreeBinary(Attribute a)
    {
        if (a.Binary != 0) NativeMemory.Free((void*)a.Binary);
        a.Binary = 0;
        a.BinarySize = 0;
    }

    protected override void OnFinalRelease()
    {
        foreach (var a in _values.Values) FreeBinary(a);
        _values.Clear();
    }

    private static string? Key(byte* id) => id == null ? null : Marshal.PtrToStringUTF8((nint)id);

    /// <summary>The slot a set* call writes (emptied and given <paramref name="kind"/>), or null for a bad this or key.</summary>
    private static Attribute? SlotFor(void* self, byte* id, char kind)
    {
        var list = TryFromThis<HostAttributeList>(self);
        var key = Key(id);
        if (list == null || key == null) return null;
        var a = list.Slot(key);
        a.Kind = kind;
        return a;
    }

    /// <summary>What a get* call reads: kResultOk with the attribute, kResultFalse if absent or of another kind,
    /// kInvalidArgument for a bad this or key.</summary>
    private static int Lookup(void* self, byte* id, char kind, out Attribute? attribute)
    {
        attribute = null;
        var list = TryFromThis<HostAttributeList>(self);
        var key = Key(id);
        if (list == null || key == null) return TResult.InvalidArgument;
        if (!list._values.TryGetValue(key, out var a) || a.Kind != kind) return TResult.ResultFalse;
        attribute = a;
        return TResult.ResultOk;
    }

    private static nint CreateVtable()
    {
        var t = AllocateVtable<IAttributeListVtbl>();
        t->SetInt = &SetInt;
        t->GetInt = &GetInt;
        t->SetFloat = &SetFloat;
        t->GetFloat = &GetFloat;
        t->SetString = &SetString;
        t->GetString = &GetString;
        t->SetBinary = &SetBinary;
        t->GetBinary = &GetBinary;
        return (nint)t;
    }

    [UnmanagedCallersOnly]
    private static int SetInt(void* self, byte* id, long value)
    {
        try
        {
            if (SlotFor(self, id, 'i') is not { } a) return TResult.InvalidArgument;
            a.Int = value;
            return TResult.ResultOk;
        }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int GetInt(void* self, byte* id, long* value)
    {
        try
        {
            if (value == null) return TResult.InvalidArgument;
            int r = Lookup(self, id, 'i', out var a);
            if (r == TResult.ResultOk) *value = a!.Int;
            return r;
        }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int SetFloat(void* self, byte* id, double value)
    {
        try
        {
            if (SlotFor(self, id, 'f') is not { } a) return TResult.InvalidArgument;
            a.Float = value;
            return TResult.ResultOk;
        }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int GetFloat(void* self, byte* id, double* value)
    {
        try
        {
            if (value == null) return TResult.InvalidArgument;
            int r = Lookup(self, id, 'f', out var a);
            if (r == TResult.ResultOk) *value = a!.Float;
            return r;
        }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int SetString(void* self, byte* id, char* value)
    {
        try
        {
            if (value == null || SlotFor(self, id, 's') is not { } a) return TResult.InvalidArgument;
            a.String = new string(value);
            return TResult.ResultOk;
        }
        catch (Exception e) { return TResult.FromException(e); }
    }

    // sizeInBytes is a byte count (not chars), per the SDK; the copy is truncated and always NUL-terminated.
    [UnmanagedCallersOnly]
    private static int GetString(void* self, byte* id, char* value, uint sizeInBytes)
    {
        try
        {
            if (value == null || sizeInBytes < sizeof(char)) return TResult.InvalidArgument;
            int r = Lookup(self, id, 's', out var a);
            if (r != TResult.ResultOk) return r;
            string s = a!.String!;
            int capacity = (int)(sizeInBytes / sizeof(char));
            int n = Math.Min(s.Length, capacity - 1);
            s.AsSpan(0, n).CopyTo(new Span<char>(value, n));
            value[n] = '\0';
            return TResult.ResultOk;
        }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int SetBinary(void* self, byte* id, void* data, uint sizeInBytes)
    {
        try
        {
            if ((data == null && sizeInBytes > 0) || SlotFor(self, id, 'b') is not { } a) return TResult.InvalidArgument;
            a.Binary = (nint)NativeMemory.Alloc(Math.Max(1u, sizeInBytes));
            a.BinarySize = sizeInBytes;
            if (sizeInBytes > 0) Buffer.MemoryCopy(data, (void*)a.Binary, sizeInBytes, sizeInBytes);
            return TResult.ResultOk;
        }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int GetBinary(void* self, byte* id, void** data, uint* sizeInBytes)
    {
        try
        {
            if (data == null || sizeInBytes == null) return TResult.InvalidArgument;
            int r = Lookup(self, id, 'b', out var a);
            if (r != TResult.ResultOk) return r;
            *data = (void*)a!.Binary;
            *sizeInBytes = a.BinarySize;
            return TResult.ResultOk;
        }
        catch (Exception e) { return TResult.FromException(e); }
    }
}

/// <summary>Host-side <c>IMessage</c>: an id plus an owned attribute list. Created for plugins through IHostApplication.</summary>
public sealed unsafe class HostMessage : ComObject
{
    private static readonly ComInterface[] s_interfaces = [new(CreateVtable(), Iids.IMessage)];

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

    private static nint CreateVtable()
    {
        var t = AllocateVtable<IMessageVtbl>();
        t->GetMessageId = &GetMessageIdThunk;
        t->SetMessageId = &SetMessageIdThunk;
        t->GetAttributes = &GetAttributesThunk;
        return (nint)t;
    }

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
