using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NPlug.Buffers.Interop.Abi;

/// <summary>
/// A managed object exposed to native code as one or more VST3 interfaces. Each exposed interface
/// gets its own 16-byte native block <c>[vtable pointer][GCHandle]</c> (the interface pointer is the
/// block's address), so C++ multiple-inheritance "one pointer per interface" semantics hold and every
/// incoming call finds the managed object without allocating. Block 0 is the stable FUnknown identity.
/// </summary>
/// <remarks>
/// Starts with reference count 1 (owned by the creator). At 0 the native blocks and the GCHandle are
/// freed and <see cref="OnFinalRelease"/> runs; the object is unreachable from native code afterwards.
/// </remarks>
public abstract unsafe class ComObject
{
    private readonly nint* _blocks;
    private readonly int _blockCount;
    private GCHandle _self;
    private int _refCount = 1;

    /// <param name="vtables">One vtable per native block, in block order (block 0 answers FUnknown).</param>
    protected ComObject(ReadOnlySpan<nint> vtables)
    {
        if (vtables.IsEmpty) throw new ArgumentException("At least one interface is required.", nameof(vtables));
        _self = GCHandle.Alloc(this, GCHandleType.Normal);
        _blockCount = vtables.Length;
        _blocks = (nint*)NativeMemory.AllocZeroed((nuint)(vtables.Length * 2 * sizeof(nint)));
        nint handle = GCHandle.ToIntPtr(_self);
        for (int i = 0; i < vtables.Length; i++)
        {
            _blocks[2 * i] = vtables[i];
            _blocks[2 * i + 1] = handle;
        }
    }

    public int RefCount => Volatile.Read(ref _refCount);

    /// <summary>The FUnknown identity pointer (block 0). Not add-ref'd.</summary>
    public void* UnknownPointer => _blocks;

    /// <summary>The native pointer of block <paramref name="block"/>. Not add-ref'd.</summary>
    protected void* BlockPointer(int block) => _blocks + 2 * block;

    /// <summary>The block that answers <paramref name="iid"/>, or -1. FUnknown is answered by the base (block 0).</summary>
    protected abstract int FindBlock(Tuid* iid);

    /// <summary>Runs once when the count reaches 0, before the native blocks are freed. Release host pointers here.</summary>
    protected virtual void OnFinalRelease() { }

    public int QueryInterface(Tuid* iid, void** obj)
    {
        if (obj == null) return TResult.InvalidArgument;
        int block = iid == null ? -1 : Iids.FUnknown.Matches(iid) ? 0 : FindBlock(iid);
        if ((uint)block >= (uint)_blockCount)
        {
            *obj = null;
            return TResult.NoInterface;
        }
        AddRef();
        *obj = BlockPointer(block);
        return TResult.ResultOk;
    }

    /// <summary>Queries by interface id and returns the pointer (add-ref'd) or null.</summary>
    public void* QueryInterface(InterfaceId iid)
    {
        void* obj;
        return QueryInterface(iid.Pointer, &obj) == TResult.ResultOk ? obj : null;
    }

    public uint AddRef() => (uint)Interlocked.Increment(ref _refCount);

    public uint Release()
    {
        int n = Interlocked.Decrement(ref _refCount);
        if (n > 0) return (uint)n;
        if (n < 0)
        {
            // Over-release by a buggy caller: undo and ignore rather than double-free.
            Interlocked.Increment(ref _refCount);
            return 0;
        }
        try
        {
            OnFinalRelease();
        }
        catch
        {
            // Nothing can be reported from here; the memory is freed either way.
        }
        NativeMemory.Free(_blocks);
        _self.Free();
        return 0;
    }

    /// <summary>The managed object behind an interface pointer this layer created.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FromThis<T>(void* self) where T : ComObject
    {
        nint handle = ((nint*)self)[1];
        return (T)GCHandle.FromIntPtr(handle).Target!;
    }

    // ---- FUnknown trampolines, shared by every vtable --------------------------------------------

    [UnmanagedCallersOnly]
    internal static int QueryInterfaceThunk(void* self, Tuid* iid, void** obj)
    {
        try { return FromThis<ComObject>(self).QueryInterface(iid, obj); }
        catch (Exception e) { if (obj != null) *obj = null; return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    internal static uint AddRefThunk(void* self)
    {
        try { return FromThis<ComObject>(self).AddRef(); }
        catch { return 0; }
    }

    [UnmanagedCallersOnly]
    internal static uint ReleaseThunk(void* self)
    {
        try { return FromThis<ComObject>(self).Release(); }
        catch { return 0; }
    }

    /// <summary>Fills the three FUnknown slots.</summary>
    protected static void FillUnknown(FUnknownVtbl* v)
    {
        v->QueryInterface = &QueryInterfaceThunk;
        v->AddRef = &AddRefThunk;
        v->Release = &ReleaseThunk;
    }

    /// <summary>
    /// Allocates a vtable that lives for the process, with two zero words in front of it (where the
    /// Itanium ABI keeps offset-to-top and RTTI) as cheap insurance against hosts that peek there.
    /// </summary>
    protected static T* AllocateVtable<T>() where T : unmanaged
    {
        byte* raw = (byte*)NativeMemory.AllocZeroed((nuint)(2 * sizeof(nint) + sizeof(T)));
        return (T*)(raw + 2 * sizeof(nint));
    }
}
