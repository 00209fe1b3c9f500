using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Diagnostics;
using NPlug.Buffers.Hosting;

namespace NPlug.Buffers.Tests.Conformance;

/// <summary>
/// The diagnostic exports of a loaded module (<c>NPlugBuffers_GetGcInfo</c>, <c>NPlugBuffers_Collect</c>), found with
/// dlsym on the module's library handle; for an in-process module, the managed entry points of this runtime.
/// </summary>
public static unsafe class BundleGc
{
    public static GcDiagnosticsEntryPoints Of(PluginModule module)
    {
        if (module.LibraryHandle == 0) return GcDiagnostics.EntryPoints;
        NativeLibrary.TryGetExport(module.LibraryHandle, GcDiagnosticsEntryPoints.GetGcInfoName, out var info);
        NativeLibrary.TryGetExport(module.LibraryHandle, GcDiagnosticsEntryPoints.CollectName, out var collect);
        return new GcDiagnosticsEntryPoints((delegate* unmanaged<GcInfo*, int>)info, (delegate* unmanaged<int, int>)collect);
    }
}
