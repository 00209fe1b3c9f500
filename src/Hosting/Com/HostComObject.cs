using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Hosting.Com;

/// <summary>
/// The native record behind one interface pointer the host hands to a plugin:
/// <c>[vtable*][GCHandle of the managed object]</c>. The vtable's first word is what C++ sees as the vptr.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ComRecord
{
    public void** Vtable;
    public nint Handle;
}

/// <summary>
/// Base of every host-side COM object (streams, parameter changes, event lists, messages, ...). One
/// native record per exposed interface, all leading back to this managed object through a GCHandle, so
/// incoming calls find their target without allocating. The object starts with one reference owned by
/// its creator; when the count reaches zero the native records and the handle are freed.
/// </summary>
public abstract unsafe class HostComObject
{
    private readonly ComRecord* _records;
    private readonly InterfaceId[] _interfaces;
    private GCHandle _self;
    private int _refCount = 1;

    /// <param name="interfaces">Interfaces answered by <c>queryInterface</c> besides FUnknown, each with its vtable.
    /// The first one is the identity (what FUnknown returns).</param>
    protected HostComObject(ReadOnlySpan<(InterfaceId Id, nint Vtable)> interfaces)
    {
        if (interfaces.Length == 0) throw new ArgumentException("A COM object exposes at least one interface.", nameof(interfaces));
        _interfaces = new InterfaceId[interfaces.Length];
        _self = GCHandle.Alloc(this, GCHandleType.Normal);
        _records = (ComRecord*)NativeMemory.AllocZeroed((nuint)(sizeof(ComRecord) * interfaces.Length));
        for (int i = 0; i < interfaces.Length; i++)
        {
            _interfaces[i] = interfaces[i].Id;
            _records[i].Vtable = (void**)interfaces[i].Vtable;
            _records[i].Handle = GCHandle.ToIntPtr(_self);
        }
    }

    /// <summary>The pointer of the first (identity) interface, borrowed: no reference is added.</summary>
    public nint Pointer => (nint)_records;

    /// <summary>The pointer for one exposed interface, borrowed, or 0 if it is not exposed.</summary>
    public nint PointerOf(InterfaceId id)
    {
        for (int i = 0; i < _interfaces.Length; i++)
            if (ReferenceEquals(_interfaces[i], id)) return (nint)(_records + i);
        return 0;
    }

    public int ReferenceCount => Volatile.Read(ref _refCount);

    public bool IsAlive => _self.IsAllocated;

    public uint AddRef() => (uint)Interlocked.Increment(ref _refCount);

    public uint Release()
    {
        int count = Interlocked.Decrement(ref _refCount);
        if (count == 0)
            Destroy();
        return count < 0 ? 0u : (uint)count;
    }

    public int QueryInterface(Tuid* iid, void** obj)
    {
        if (obj == null) return TResult.InvalidArgument;
        *obj = null;
        if (iid == null) return TResult.InvalidArgument;
        if (Iids.FUnknown.Matches(iid))
        {
            *obj = _records;
            AddRef();
            return TResult.ResultOk;
        }
        for (int i = 0; i < _interfaces.Length; i++)
        {
            if (_interfaces[i].Matches(iid) || IsBaseOf(i, iid))
            {
                *obj = _records + i;
                AddRef();
                return TResult.ResultOk;
            }
        }
        return TResult.NoInterface;
    }

    /// <summary>Lets a subclass answer for a base interface of exposed interface <paramref name="index"/>.</summary>
    protected virtual bool IsBaseOf(int index, Tuid* iid) => false;

    /// <summary>Frees managed resources held for the plugin (called once, when the last reference goes).</summary>
    protected virtual void OnDestroy() { }

    private void Destroy()
    {
        OnDestroy();
        NativeMemory.Free(_records);
        if (_self.IsAllocated) _self.Free();
    }

    /// <summary>The managed object behind an incoming <c>this</c> pointer (no allocation).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T? FromThis<T>(void* self) where T : HostComObject
    {
        if (self == null) return null;
        var handle = ((ComRecord*)self)->Handle;
        if (handle == 0) return null;
        return GCHandle.FromIntPtr(handle).Target as T;
    }
}
