using System.Runtime.InteropServices;
using System.Text;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Tests.Abi;

/// <summary>A host IMessage with its IAttributeList (ints, floats, strings, binaries) kept in managed dictionaries.</summary>
public sealed unsafe class FakeMessage : ComObject
{
    private byte* _id;

    public FakeMessage() : base(Interfaces) { }

    public string Id => AbiStrings.ReadCString(_id);
    public readonly Dictionary<string, object> Values = new();
    public new void* Pointer => UnknownPointer;

    public void SetIdText(string id)
    {
        if (_id != null) NativeMemory.Free(_id);
        var bytes = Encoding.UTF8.GetBytes(id + "\0");
        _id = (byte*)NativeMemory.Alloc((nuint)bytes.Length);
        bytes.CopyTo(new Span<byte>(_id, bytes.Length));
    }

    protected override void OnFinalRelease()
    {
        if (_id != null) NativeMemory.Free(_id);
        _id = null;
    }

    private static readonly IMessageVtbl* MessageVtbl = BuildMessage();
    private static readonly IAttributeListVtbl* AttributesVtbl = BuildAttributes();
    private static readonly ComInterface[] Interfaces = [new((nint)MessageVtbl, Iids.IMessage), new((nint)AttributesVtbl, Iids.IAttributeList)];

    private static IMessageVtbl* BuildMessage()
    {
        var v = AllocateVtable<IMessageVtbl>();
        v->GetMessageId = &GetId;
        v->SetMessageId = &SetId;
        v->GetAttributes = &GetAttributes;
        return v;
    }

    private static IAttributeListVtbl* BuildAttributes()
    {
        var v = AllocateVtable<IAttributeListVtbl>();
        v->SetInt = &SetInt;
        v->GetInt = &GetInt;
        v->SetFloat = &SetFloat;
        v->GetFloat = &GetFloat;
        v->SetString = &SetString;
        v->GetString = &GetString;
        v->SetBinary = &SetBinary;
        v->GetBinary = &GetBinary;
        return v;
    }

    private static FakeMessage M(void* self) => FromThis<FakeMessage>(self);
    private static string Key(byte* id) => AbiStrings.ReadCString(id);

    [UnmanagedCallersOnly] private static byte* GetId(void* self) => M(self)._id;
    [UnmanagedCallersOnly] private static void SetId(void* self, byte* id) => M(self).SetIdText(AbiStrings.ReadCString(id));
    [UnmanagedCallersOnly] private static void* GetAttributes(void* self) => M(self).BlockPointer(1);

    [UnmanagedCallersOnly]
    private static int SetInt(void* self, byte* id, long value) { M(self).Values[Key(id)] = value; return TResult.ResultOk; }

    [UnmanagedCallersOnly]
    private static int GetInt(void* self, byte* id, long* value)
    {
        if (!M(self).Values.TryGetValue(Key(id), out var v) || v is not long l) return TResult.ResultFalse;
        *value = l;
        return TResult.ResultOk;
    }

    [UnmanagedCallersOnly]
    private static int SetFloat(void* self, byte* id, double value) { M(self).Values[Key(id)] = value; return TResult.ResultOk; }

    [UnmanagedCallersOnly]
    private static int GetFloat(void* self, byte* id, double* value)
    {
        if (!M(self).Values.TryGetValue(Key(id), out var v) || v is not double d) return TResult.ResultFalse;
        *value = d;
        return TResult.ResultOk;
    }

    [UnmanagedCallersOnly]
    private static int SetString(void* self, byte* id, char* s)
    {
        int n = 0;
        while (s[n] != '\0') n++;
        M(self).Values[Key(id)] = new string(s, 0, n);
        return TResult.ResultOk;
    }

    [UnmanagedCallersOnly]
    private static int GetString(void* self, byte* id, char* s, uint sizeInBytes)
    {
        if (!M(self).Values.TryGetValue(Key(id), out var v) || v is not string str) return TResult.ResultFalse;
        AbiStrings.WriteUtf16(new Span<char>(s, (int)(sizeInBytes / 2)), str);
        return TResult.ResultOk;
    }

    [UnmanagedCallersOnly]
    private static int SetBinary(void* self, byte* id, void* data, uint size)
    {
        M(self).Values[Key(id)] = new ReadOnlySpan<byte>(data, (int)size).ToArray();
        return TResult.ResultOk;
    }

    [UnmanagedCallersOnly]
    private static int GetBinary(void* self, byte* id, void** data, uint* size) => TResult.ResultFalse;
}

/// <summary>A host IEventList over a fixed array of events.</summary>
public sealed unsafe class FakeEventList : ComObject
{
    public FakeEventList(params Event[] events) : base(Interfaces) => Events = new List<Event>(events);

    public List<Event> Events { get; }
    public new void* Pointer => UnknownPointer;

    private static readonly IEventListVtbl* ListVtbl = Build();
    private static readonly ComInterface[] Interfaces = [new((nint)ListVtbl, Iids.IEventList)];

    private static IEventListVtbl* Build()
    {
        var v = AllocateVtable<IEventListVtbl>();
        v->GetEventCount = &Count;
        v->GetEvent = &Get;
        v->AddEvent = &Add;
        return v;
    }

    [UnmanagedCallersOnly] private static int Count(void* self) => FromThis<FakeEventList>(self).Events.Count;

    [UnmanagedCallersOnly]
    private static int Get(void* self, int index, Event* e)
    {
        var list = FromThis<FakeEventList>(self).Events;
        if ((uint)index >= (uint)list.Count || e == null) return TResult.InvalidArgument;
        *e = list[index];
        return TResult.ResultOk;
    }

    [UnmanagedCallersOnly]
    private static int Add(void* self, Event* e)
    {
        FromThis<FakeEventList>(self).Events.Add(*e);
        return TResult.ResultOk;
    }
}
