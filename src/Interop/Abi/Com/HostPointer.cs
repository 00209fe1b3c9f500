namespace NPlug.Buffers.Interop.Abi;

/// <summary>
/// A host interface pointer kept beyond the call that delivered it: add-ref'd when stored, released
/// when replaced or cleared. Not thread-safe; stored pointers belong to UI-thread calls.
/// </summary>
public unsafe struct HostPointer
{
    private void* _ptr;

    public readonly void* Value => _ptr;

    public readonly bool IsNull => _ptr == null;

    /// <summary>Stores <paramref name="ptr"/> (add-ref'd), releasing the previous one.</summary>
    public void Set(void* ptr)
    {
        if (ptr == _ptr) return;
        if (ptr != null) Vtbl.AddRef(ptr);
        void* old = _ptr;
        _ptr = ptr;
        if (old != null) Vtbl.Release(old);
    }

    /// <summary>Takes over a pointer that already carries a reference for us (e.g. a queryInterface result).</summary>
    public void Attach(void* owned)
    {
        void* old = _ptr;
        _ptr = owned;
        // Even when old == owned we hold two references now; drop one.
        if (old != null) Vtbl.Release(old);
    }

    public void Clear()
    {
        void* old = _ptr;
        _ptr = null;
        if (old != null) Vtbl.Release(old);
    }
}
