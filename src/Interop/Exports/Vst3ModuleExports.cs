// Linked into every plugin assembly by src/Interop/build/NPlug.Buffers.Interop.Plugin.targets.
// NativeAOT exports [UnmanagedCallersOnly(EntryPoint = ...)] methods only from the published assembly
// (a referenced library needs an explicit UnmanagedEntryPointsAssembly item), and runs module
// initializers only of modules it compiles. Keeping the exports in the plugin assembly itself gives
// both: the symbols are exported and the plugin's [ModuleInitializer] registration runs first.
// Each export only forwards to NPlug.Buffers.Interop.Bridge.PluginExports.
using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Bridge;

namespace NPlug.Buffers.Interop.Exports;

internal static unsafe class Vst3ModuleExports
{
    [UnmanagedCallersOnly(EntryPoint = "GetPluginFactory")]
    private static void* GetPluginFactory() => PluginExports.GetFactoryNoThrow();

    [UnmanagedCallersOnly(EntryPoint = "ModuleEntry")]
    private static byte ModuleEntry(void* sharedLibraryHandle) => PluginExports.EnterNoThrow();

    [UnmanagedCallersOnly(EntryPoint = "ModuleExit")]
    private static byte ModuleExit() => PluginExports.ExitNoThrow();

    [UnmanagedCallersOnly(EntryPoint = "InitDll")]
    private static byte InitDll() => PluginExports.EnterNoThrow();

    [UnmanagedCallersOnly(EntryPoint = "ExitDll")]
    private static byte ExitDll() => PluginExports.ExitNoThrow();

    [UnmanagedCallersOnly(EntryPoint = "bundleEntry")]
    private static byte BundleEntry(void* bundleRef) => PluginExports.EnterNoThrow();

    [UnmanagedCallersOnly(EntryPoint = "bundleExit")]
    private static byte BundleExit() => PluginExports.ExitNoThrow();
}
