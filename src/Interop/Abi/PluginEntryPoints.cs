namespace NPlug.Buffers.Interop.Abi;

/// <summary>The three Linux entry points as function pointers.</summary>
public readonly unsafe struct PluginEntryPoints(
    delegate* unmanaged<void*, byte> moduleEntry,
    delegate* unmanaged<byte> moduleExit,
    delegate* unmanaged<void*> getPluginFactory)
{
    public delegate* unmanaged<void*, byte> ModuleEntry { get; } = moduleEntry;
    public delegate* unmanaged<byte> ModuleExit { get; } = moduleExit;
    public delegate* unmanaged<void*> GetPluginFactory { get; } = getPluginFactory;
}
