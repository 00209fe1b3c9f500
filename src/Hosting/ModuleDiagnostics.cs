using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Diagnostics;

namespace NPlug.Buffers.Hosting;

/// <summary>
/// The NPlug.Buffers diagnostic exports of a loaded module — <c>NPlugBuffers_GetGcInfo</c> and
/// <c>NPlugBuffers_Collect</c>, next to <c>GetPluginFactory</c> — found with dlsym/GetProcAddress on the module's
/// library handle. For an in-process module (no library) they are this runtime's own, which hosts the plugin.
/// <see cref="GcDiagnosticsEntryPoints.IsAvailable"/> is false for modules that do not export them (any other VST3).
/// </summary>
public static unsafe class ModuleDiagnostics
{
    public static GcDiagnosticsEntryPoints GetGcDiagnostics(this PluginModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (module.LibraryHandle == 0) return GcDiagnostics.EntryPoints;
        NativeLibrary.TryGetExport(module.LibraryHandle, GcDiagnosticsEntryPoints.GetGcInfoName, out var info);
        NativeLibrary.TryGetExport(module.LibraryHandle, GcDiagnosticsEntryPoints.CollectName, out var collect);
        return new GcDiagnosticsEntryPoints((delegate* unmanaged<GcInfo*, int>)info, (delegate* unmanaged<int, int>)collect);
    }
}
