using System.Runtime.CompilerServices;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Bridge;

namespace NPlug.Buffers.Plugin;

/// <summary>Registers the module's classes before any export is called (NativeAOT runs module initializers first).</summary>
internal static class ModuleRegistration
{
    // This assembly is the plugin "application": initializing here is exactly what CA2255 reserves module initializers for.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => PluginExports.Register(PluginClasses.CreateDescription());
}
