using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NPlug.Buffers.Interop.Abi;

/// <summary>
/// The native record behind one interface pointer: <c>[vtable*][GCHandle of the managed object]</c>. The
/// interface pointer is the record's address; its first word is what C++ sees as the vptr.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ComRecord
{
    public void* Vtable;
    public nint Handle;
}

/// <summary>
/// One interface a <see cref="ComObject"/> exposes: the vtable of its record and every iid that record answers
/// (its own and the bases it embeds, e.g. IComponent and IPluginBase, or the three factory iids).
/// </summary>
/// <remarks>Tables are built once per class (a static array), so constructing an object allocates no table.</remarks>
public readonly struct ComInterface
{
    private readonly InterfaceId[] _iids;

    public ComInterface(nint vtable, params InterfaceId[] iids)
    {
        if (vtable == 0) throw new ArgumentException("A vtable is required.", nameof(vtable));
        ArgumentNullException.ThrowIfNull(iids);
        if (iids.Length == 0) throw new ArgumentException("An interface answers at least one iid.", nameof(iids));
        Vtable = vtable;
        _iids = iids;
    }

    public nint Vtable { get; }

    public IReadOnlyList<InterfaceId> Iids => _iids;

    internal unsafe bool Answers(Tuid* iid)
    {
        var ids = _iids;
        for (int i = 0; i < ids.Length; i++)
            if (ids[i].Matches(iid)) return true;
        return false;
    }
}

/// <summary>
/// The one COM core of this project: a managed object exposed to native code as one or more VST3 interfaces,
/// on either side of the ABI — plugin objects (factory, component, controller in <c>Interop/Bridge</c>) and host
/// objects (streams, parameter changes, event lists, messages in <c>NPlug.Buffers.Hosting</c>).
/// </summary>
/// <remarks>
/// <para>Each exposed interface gets its own 16-byte native record <c>[vtable*][GCHandle]</c> (the interface
/// pointer is the record's address), so C++ multiple-inheritance "one pointer per interface" semantics hold and
/// every incoming call finds the managed object without allocating. Record 0 is the FUnknown identity.</para>
/// <para><c>queryInterface</c> answers FUnknown with record 0 and any other iid with the first record whose
/// <see cref="ComInterface"/> lists it. A null <c>obj</c> or a null <c>iid</c> is <c>kInvalidArgument</c>
/// (see <see cref="QueryInterface(Tuid*, void**)"/>); an iid nobody lists is <c>kNoInterface</c>; both leave
/// <c>*obj</c> null.</para>
/// <para>Starts with reference count 1 (owned by the creator). At 0, <see cref="OnFinalRelease"/> runs, then the
/// native records and the GCHandle are freed; the object is unreachable from native code afterwards. A release
/// below 0 (a buggy caller) is undone and ignored rather than freeing twice.</para>
/// </remarks>
public abstract unsafe class ComObject
{
    private readonly ComRecord* _records;
    private readonly ComInterface[] _interfaces;
    private GCHandle _self;
    private int _refCount = 1;

    /// <param name="interfaces">The exposed interfaces in record order (record 0 is the identity). Kept by
    /// reference, not copied: pass a static table.</param>
    protected ComObject(ComInterface[] interfaces)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        if (interfaces.Length == 0) throw new ArgumentException("A COM object exposes at least one interface.", nameof(interfaces));
        foreach (var i in interfaces)
            if (i.Vtable == 0) throw new ArgumentException("Every interface needs a vtable (a default ComInterface has none).", nameof(interfaces));
        _interfaces = interfaces;
        _self = GCHandle.Alloc(this, GCHandleType.Normal);
        _records = (ComRecord*)NativeMemory.AllocZeroed((nuint)(interfaces.Length * sizeof(ComRecord)));
        nint handle = GCHandle.ToIntPtr(_self);
        for (int i = 0; i < interfaces.Length; i++)
        {
            _records[i].Vtable = (void*)interfaces[i].Vtable;
            _records[i].Handle = handle;
        }
    }

    public int ReferenceCount => Volatile.Read(ref _refCount);

    /// <summary>False once the last reference is gone (the native records are freed).</summary>
    public bool IsAlive => _self.IsAllocated;

    /// <summary>The FUnknown identity pointer (record 0), borrowed: no reference is added.</summary>
    public void* UnknownPointer => _records;

    /// <summary>The identity pointer as a number (for code without <c>unsafe</c>), borrowed.</summary>
    public nint Pointer => (nint)_records;

    /// <summary>The pointer of the record that answers <paramref name="id"/>, borrowed, or 0 if none does.</summary>
    public nint PointerOf(InterfaceId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        int record = Find(id.Pointer);
        return record < 0 ? 0 : (nint)(_records + record);
    }

    /// <summary>The native pointer of record <paramref name="record"/>, borrowed.</summary>
    protected void* BlockPointer(int record)
    {
        if ((uint)record >= (uint)_interfaces.Length) throw new ArgumentOutOfRangeException(nameof(record));
        return _records + record;
    }

    /// <summary>Runs once when the count reaches 0, before the native records are freed. Release held pointers here.</summary>
    protected virtual void OnFinalRelease() { }

    /// <summary>
    /// <c>FUnknown::queryInterface</c>. On success <c>*obj</c> is the record's pointer with one reference added.
    /// </summary>
    /// <remarks>
    /// A null <paramref name="iid"/> answers <c>kInvalidArgument</c>, as a null <paramref name="obj"/> does. The SDK
    /// does not define this case (its <c>FUnknownPrivate::iidEqual</c> would read through the pointer), so we take the
    /// answer the SDK gives for malformed arguments everywhere else: a null iid names no interface, so
    /// <c>kNoInterface</c> ("I do not implement what you asked for") would be a false statement about the object,
    /// and callers that probe optional interfaces by treating kNoInterface as "absent" would mistake a bug in their own
    /// call for a missing feature. It is also what <c>IPluginFactory::createInstance</c> and
    /// <c>IHostApplication::createInstance</c> here answer for a null cid or iid. Until the COM cores were merged,
    /// plugin-side objects answered kNoInterface and host-side objects kInvalidArgument.
    /// </remarks>
    public int QueryInterface(Tuid* iid, void** obj)
    {
        if (obj == null) return TResult.InvalidArgument;
        *obj = null;
        if (iid == null) return TResult.InvalidArgument;
        int record = Iids.FUnknown.Matches(iid) ? 0 : Find(iid);
        if (record < 0) return TResult.NoInterface;
        AddRef();
        *obj = _records + record;
        return TResult.ResultOk;
    }

    /// <summary>Queries by interface id and returns the pointer (add-ref'd) or null.</summary>
    public void* QueryInterface(InterfaceId iid)
    {
        void* obj;
        return QueryInterface(iid.Pointer, &obj) == TResult.ResultOk ? obj : null;
    }

    private int Find(Tuid* iid)
    {
        var table = _interfaces;
        for (int i = 0; i < table.Length; i++)
            if (table[i].Answers(iid)) return i;
        return -1;
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
        NativeMemory.Free(_records);
        _self.Free();
        return 0;
    }

    /// <summary>The managed object behind an interface pointer this core created (the plugin hot path: no checks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FromThis<T>(void* self) where T : ComObject
    {
        nint handle = ((ComRecord*)self)->Handle;
        return (T)GCHandle.FromIntPtr(handle).Target!;
    }

    /// <summary>Like <see cref="FromThis{T}"/>, but null for a null pointer, a cleared record or another type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T? TryFromThis<T>(void* self) where T : ComObject
    {
        if (self == null) return null;
        nint handle = ((ComRecord*)self)->Handle;
        return handle == 0 ? null : GCHandle.FromIntPtr(handle).Target as T;
    }

    // ---- FUnknown trampolines, shared by every vtable --------------------------------------------

    [UnmanagedCallersOnly]
    private static int QueryInterfaceThunk(void* self, Tuid* iid, void** obj)
    {
        try
        {
            var target = TryFromThis<ComObject>(self);
            if (target != null) return target.QueryInterface(iid, obj);
            if (obj != null) *obj = null;
            return TResult.InvalidArgument;
        }
        catch (Exception e)
        {
            if (obj != null) *obj = null;
            return TResult.FromException(e);
        }
    }

    [UnmanagedCallersOnly]
    private static uint AddRefThunk(void* self)
    {
        try { return TryFromThis<ComObject>(self)?.AddRef() ?? 0; }
        catch { return 0; }
    }

    [UnmanagedCallersOnly]
    private static uint ReleaseThunk(void* self)
    {
        try { return TryFromThis<ComObject>(self)?.Release() ?? 0; }
        catch { return 0; }
    }

    /// <summary>
    /// Allocates a zeroed vtable that lives for the process, with its leading FUnknown slots filled with the shared
    /// trampolines (every VST3 vtable starts with FUnknown). Two zero words sit in front of it (where the Itanium ABI
    /// keeps offset-to-top and RTTI) as cheap insurance against hosts that peek there.
    /// </summary>
    protected static T* AllocateVtable<T>() where T : unmanaged
    {
        if (sizeof(T) < sizeof(FUnknownVtbl)) throw new ArgumentException($"{typeof(T).Name} is smaller than FUnknown's vtable.");
        byte* raw = (byte*)NativeMemory.AllocZeroed((nuint)(2 * sizeof(nint) + sizeof(T)));
        var table = (T*)(raw + 2 * sizeof(nint));
        var unknown = (FUnknownVtbl*)table;
        unknown->QueryInterface = &QueryInterfaceThunk;
        unknown->AddRef = &AddRefThunk;
        unknown->Release = &ReleaseThunk;
        return table;
    }

    /// <summary>
    /// <see cref="AllocateVtable{T}"/> holding the slots of <paramref name="slots"/> (written as an object initializer
    /// that names every method of the interface); its FUnknown slots are the shared trampolines whatever
    /// <paramref name="slots"/> holds there.
    /// </summary>
    protected static nint CreateVtable<T>(in T slots) where T : unmanaged
    {
        T* table = AllocateVtable<T>();
        var unknown = *(FUnknownVtbl*)table;
        *table = slots;
        *(FUnknownVtbl*)table = unknown;
        return (nint)table;
    }
}
