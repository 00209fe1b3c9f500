using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Hosting.Com;

/// <summary>
/// Builds host-side vtables in native memory, once per interface type, for the life of the process.
/// Two zeroed words sit before slot 0 (the Itanium offset-to-top/RTTI words; nobody reads them, it is insurance).
/// Slots 0-2 are the shared FUnknown trampolines.
/// </summary>
internal static unsafe class Vtables
{
    /// <summary>A zeroed <typeparamref name="TVtbl"/> whose leading <see cref="FUnknownVtbl"/> is filled.</summary>
    public static TVtbl* Allocate<TVtbl>() where TVtbl : unmanaged
    {
        var block = (byte*)NativeMemory.AllocZeroed((nuint)(sizeof(TVtbl) + 2 * sizeof(void*)));
        var table = (TVtbl*)(block + 2 * sizeof(void*));
        var unknown = (FUnknownVtbl*)table;
        unknown->QueryInterface = &QueryInterface;
        unknown->AddRef = &AddRef;
        unknown->Release = &Release;
        return table;
    }

    [UnmanagedCallersOnly]
    private static int QueryInterface(void* self, Tuid* iid, void** obj)
    {
        try
        {
            var target = HostComObject.FromThis<HostComObject>(self);
            if (target == null)
            {
                if (obj != null) *obj = null;
                return TResult.InvalidArgument;
            }
            return target.QueryInterface(iid, obj);
        }
        catch (Exception e)
        {
            return TResult.FromException(e);
        }
    }

    [UnmanagedCallersOnly]
    private static uint AddRef(void* self)
    {
        try { return HostComObject.FromThis<HostComObject>(self)?.AddRef() ?? 0; }
        catch { return 0; }
    }

    [UnmanagedCallersOnly]
    private static uint Release(void* self)
    {
        try { return HostComObject.FromThis<HostComObject>(self)?.Release() ?? 0; }
        catch { return 0; }
    }
}
