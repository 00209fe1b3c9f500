using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Tests.Abi;

/// <summary>
/// A minimal host object for driving plugin objects through their vtables: IHostApplication,
/// IConnectionPoint (records notify calls) and IComponentHandler (records edits). Built on the same
/// ComObject machinery, so its reference count shows whether the plugin add-refs and releases it.
/// </summary>
public sealed unsafe class FakeHost : ComObject
{
    public FakeHost() : base(Interfaces) { }

    public int Notifications;
    public bool SupportsMessages;
    public readonly List<(string Id, Dictionary<string, object> Values)> Received = new();
    public readonly List<(uint Id, double Value)> Edits = new();
    public int Restarts;

    public void* HostApplication => BlockPointer(0);
    public void* ConnectionPoint => BlockPointer(1);
    public void* ComponentHandler => BlockPointer(2);

    private static readonly IHostApplicationVtbl* HostAppVtbl = BuildHostApp();
    private static readonly IConnectionPointVtbl* ConnectionVtbl = BuildConnection();
    private static readonly IComponentHandlerVtbl* HandlerVtbl = BuildHandler();
    private static readonly ComInterface[] Interfaces = [new((nint)HostAppVtbl, Iids.IHostApplication), new((nint)ConnectionVtbl, Iids.IConnectionPoint), new((nint)HandlerVtbl, Iids.IComponentHandler)];

    private static IHostApplicationVtbl* BuildHostApp()
    {
        var v = AllocateVtable<IHostApplicationVtbl>();
        v->GetName = &GetName;
        v->CreateInstance = &CreateInstance;
        return v;
    }

    private static IConnectionPointVtbl* BuildConnection()
    {
        var v = AllocateVtable<IConnectionPointVtbl>();
        v->Connect = &Connect;
        v->Disconnect = &Connect;
        v->Notify = &Notify;
        return v;
    }

    private static IComponentHandlerVtbl* BuildHandler()
    {
        var v = AllocateVtable<IComponentHandlerVtbl>();
        v->BeginEdit = &Edit;
        v->PerformEdit = &PerformEdit;
        v->EndEdit = &Edit;
        v->RestartComponent = &Restart;
        return v;
    }

    [UnmanagedCallersOnly]
    private static int GetName(void* self, char* name)
    {
        AbiStrings.WriteString128(name, "Fake Host");
        return TResult.ResultOk;
    }

    [UnmanagedCallersOnly]
    private static int CreateInstance(void* self, Tuid* cid, Tuid* iid, void** obj)
    {
        *obj = null;
        if (!FromThis<FakeHost>(self).SupportsMessages || !Iids.IMessage.Matches(iid)) return TResult.NoInterface;
        *obj = new FakeMessage().Pointer; // owned by the caller
        return TResult.ResultOk;
    }

    [UnmanagedCallersOnly]
    private static int Connect(void* self, void* other) => TResult.ResultOk;

    [UnmanagedCallersOnly]
    private static int Notify(void* self, void* message)
    {
        var host = FromThis<FakeHost>(self);
        host.Notifications++;
        var m = FromThis<FakeMessage>(message);
        host.Received.Add((m.Id, new Dictionary<string, object>(m.Values)));
        return TResult.ResultOk;
    }

    [UnmanagedCallersOnly]
    private static int Edit(void* self, uint id) => TResult.ResultOk;

    [UnmanagedCallersOnly]
    private static int PerformEdit(void* self, uint id, double value)
    {
        FromThis<FakeHost>(self).Edits.Add((id, value));
        return TResult.ResultOk;
    }

    [UnmanagedCallersOnly]
    private static int Restart(void* self, int flags)
    {
        FromThis<FakeHost>(self).Restarts++;
        return TResult.ResultOk;
    }
}

/// <summary>An IBStream over a MemoryStream (what a host passes to getState/setState).</summary>
public sealed unsafe class FakeStream : ComObject
{
    public FakeStream(byte[]? initial = null) : base(Interfaces)
    {
        Memory = new MemoryStream();
        if (initial is not null) { Memory.Write(initial); Memory.Position = 0; }
    }

    public MemoryStream Memory { get; }

    public new void* Pointer => UnknownPointer;

    private static readonly IBStreamVtbl* StreamVtbl = Build();
    private static readonly ComInterface[] Interfaces = [new((nint)StreamVtbl, Iids.IBStream)];

    private static IBStreamVtbl* Build()
    {
        var v = AllocateVtable<IBStreamVtbl>();
        v->Read = &Read;
        v->Write = &Write;
        v->Seek = &Seek;
        v->Tell = &Tell;
        return v;
    }

    [UnmanagedCallersOnly]
    private static int Read(void* self, void* buffer, int numBytes, int* numRead)
    {
        if (numBytes < 0 || (buffer == null && numBytes > 0)) return TResult.InvalidArgument;
        int n = FromThis<FakeStream>(self).Memory.Read(new Span<byte>(buffer, numBytes));
        if (numRead != null) *numRead = n;
        return TResult.ResultOk;
    }

    [UnmanagedCallersOnly]
    private static int Write(void* self, void* buffer, int numBytes, int* numWritten)
    {
        if (numBytes < 0 || (buffer == null && numBytes > 0)) return TResult.InvalidArgument;
        FromThis<FakeStream>(self).Memory.Write(new ReadOnlySpan<byte>(buffer, numBytes));
        if (numWritten != null) *numWritten = numBytes;
        return TResult.ResultOk;
    }

    [UnmanagedCallersOnly]
    private static int Seek(void* self, long pos, int mode, long* result)
    {
        var m = FromThis<FakeStream>(self).Memory;
        long p = m.Seek(pos, mode == StreamSeekModes.Set ? SeekOrigin.Begin : mode == StreamSeekModes.Cur ? SeekOrigin.Current : SeekOrigin.End);
        if (result != null) *result = p;
        return TResult.ResultOk;
    }

    [UnmanagedCallersOnly]
    private static int Tell(void* self, long* pos)
    {
        if (pos == null) return TResult.InvalidArgument;
        *pos = FromThis<FakeStream>(self).Memory.Position;
        return TResult.ResultOk;
    }
}

/// <summary>A host IParamValueQueue with fixed points.</summary>
public sealed unsafe class FakeQueue : ComObject
{
    public FakeQueue(uint id, params (int Offset, double Value)[] points) : base(Interfaces)
    {
        Id = id;
        Points = points;
    }

    public uint Id { get; }
    public (int Offset, double Value)[] Points { get; }
    public new void* Pointer => UnknownPointer;

    private static readonly IParamValueQueueVtbl* QueueVtbl = Build();
    private static readonly ComInterface[] Interfaces = [new((nint)QueueVtbl, Iids.IParamValueQueue)];

    private static IParamValueQueueVtbl* Build()
    {
        var v = AllocateVtable<IParamValueQueueVtbl>();
        v->GetParameterId = &GetId;
        v->GetPointCount = &GetCount;
        v->GetPoint = &GetPoint;
        v->AddPoint = &AddPoint;
        return v;
    }

    [UnmanagedCallersOnly] private static uint GetId(void* self) => FromThis<FakeQueue>(self).Id;
    [UnmanagedCallersOnly] private static int GetCount(void* self) => FromThis<FakeQueue>(self).Points.Length;

    [UnmanagedCallersOnly]
    private static int GetPoint(void* self, int index, int* offset, double* value)
    {
        var q = FromThis<FakeQueue>(self);
        if ((uint)index >= (uint)q.Points.Length) return TResult.InvalidArgument;
        *offset = q.Points[index].Offset;
        *value = q.Points[index].Value;
        return TResult.ResultOk;
    }

    [UnmanagedCallersOnly] private static int AddPoint(void* self, int offset, double value, int* index) => TResult.ResultFalse;
}

/// <summary>A host IParameterChanges over fixed queues.</summary>
public sealed unsafe class FakeParameterChanges : ComObject
{
    public FakeParameterChanges(params FakeQueue[] queues) : base(Interfaces) => Queues = queues;

    public FakeQueue[] Queues { get; }
    public new void* Pointer => UnknownPointer;

    private static readonly IParameterChangesVtbl* ChangesVtbl = Build();
    private static readonly ComInterface[] Interfaces = [new((nint)ChangesVtbl, Iids.IParameterChanges)];

    private static IParameterChangesVtbl* Build()
    {
        var v = AllocateVtable<IParameterChangesVtbl>();
        v->GetParameterCount = &GetCount;
        v->GetParameterData = &GetData;
        v->AddParameterData = &AddData;
        return v;
    }

    [UnmanagedCallersOnly] private static int GetCount(void* self) => FromThis<FakeParameterChanges>(self).Queues.Length;

    [UnmanagedCallersOnly]
    private static void* GetData(void* self, int index)
    {
        var c = FromThis<FakeParameterChanges>(self);
        return (uint)index < (uint)c.Queues.Length ? c.Queues[index].Pointer : null;
    }

    [UnmanagedCallersOnly] private static void* AddData(void* self, uint* id, int* index) => null;
}
