using System.Runtime.InteropServices;
namespace NPlug.Buffers.Plugin;
public static unsafe class Exports
{
    [UnmanagedCallersOnly(EntryPoint = "ModuleEntry")]
    public static byte ModuleEntry(void* h) => 1;
}
