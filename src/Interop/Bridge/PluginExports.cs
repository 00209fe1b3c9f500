using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;

namespace NPlug.Buffers.Interop.Bridge;

/// <summary>
/// The module's exported C entry points and the registration point behind them.
/// </summary>
/// <remarks>
/// A plugin assembly registers its classes once, typically from a <c>[ModuleInitializer]</c>:
/// <code>AudioPluginFactory.Register(new PluginFactoryDescription("Vendor").Add(new MyModel()));</code>
/// The exported symbols themselves live in <c>src/Interop/Exports/Vst3ModuleExports.cs</c>, which
/// <c>src/Interop/build/NPlug.Buffers.Interop.Plugin.targets</c> links into the plugin assembly (see there
/// why). Under CoreCLR (tests) the same entry points are reachable as function pointers through
/// <see cref="EntryPoints"/>, so a host can drive a managed plugin through the real ABI without AOT.
/// </remarks>
public static unsafe class PluginExports
{
    private static readonly object s_gate = new();
    private static PluginFactoryObject? s_factory;
    private static int s_moduleCount;

    /// <summary>Sets the description the exported <c>GetPluginFactory</c> serves (replacing any earlier one).</summary>
    public static void Register(PluginFactoryDescription description) => AudioPluginFactory.Register(description);

    public static PluginFactoryDescription? Registered => AudioPluginFactory.Registered;

    /// <summary>How many ModuleEntry calls are not yet matched by ModuleExit.</summary>
    public static int ModuleEntryCount => Volatile.Read(ref s_moduleCount);

    /// <summary>
    /// In-process entry: a new factory for <paramref name="description"/>, returned as an owned
    /// <c>IPluginFactory*</c> (refcount 1 for the caller). Independent of <see cref="Register"/>, so tests can host
    /// several plugins in one process.
    /// </summary>
    public static void* CreateFactory(PluginFactoryDescription description) => new PluginFactoryObject(description).UnknownPointer;

    /// <summary>
    /// What the exported <c>GetPluginFactory</c> returns: the module's factory with one reference for the caller
    /// (created with 1 on the first call, add-ref'd on later calls while alive), or null when nothing is registered.
    /// </summary>
    public static void* GetFactory()
    {
        lock (s_gate)
        {
            if (s_factory is not null)
            {
                s_factory.AddRef();
                return s_factory.UnknownPointer;
            }
            var description = AudioPluginFactory.Registered;
            if (description is null) return null;
            var factory = new PluginFactoryObject(description);
            factory.Destroyed = OnFactoryDestroyed;
            s_factory = factory;
            return factory.UnknownPointer;
        }
    }

    private static void OnFactoryDestroyed(PluginFactoryObject factory)
    {
        lock (s_gate)
        {
            if (ReferenceEquals(s_factory, factory)) s_factory = null;
        }
    }

    /// <summary>Counted like the SDK: every entry must be matched by an exit; an unmatched exit fails.</summary>
    public static bool Enter()
    {
        Interlocked.Increment(ref s_moduleCount);
        return true;
    }

    public static bool Exit()
    {
        int n = Interlocked.Decrement(ref s_moduleCount);
        if (n >= 0) return true;
        Interlocked.Increment(ref s_moduleCount);
        return false;
    }

    /// <summary>The exported functions as raw function pointers (for in-process hosting under CoreCLR).</summary>
    public static PluginEntryPoints EntryPoints => new(&ModuleEntry, &ModuleExit, &GetPluginFactory);

    /// <summary>GetPluginFactory body: never throws (null on failure).</summary>
    public static void* GetFactoryNoThrow()
    {
        try { return GetFactory(); } catch { return null; }
    }

    /// <summary>ModuleEntry/InitDll/bundleEntry body: 1 = true.</summary>
    public static byte EnterNoThrow()
    {
        try { return Enter() ? (byte)1 : (byte)0; } catch { return 0; }
    }

    /// <summary>ModuleExit/ExitDll/bundleExit body: 1 = true, 0 for an unmatched exit.</summary>
    public static byte ExitNoThrow()
    {
        try { return Exit() ? (byte)1 : (byte)0; } catch { return 0; }
    }

    // ---- the same entry points as function pointers for in-process hosting (no EntryPoint here:
    // the exported symbols come from the linked Exports/Vst3ModuleExports.cs in the plugin assembly,
    // and a second export of the same name would clash). Bool results are one byte: UnmanagedCallersOnly
    // signatures must be blittable.

    [UnmanagedCallersOnly]
    private static void* GetPluginFactory() => GetFactoryNoThrow();

    [UnmanagedCallersOnly]
    private static byte ModuleEntry(void* sharedLibraryHandle) => EnterNoThrow();

    [UnmanagedCallersOnly]
    private static byte ModuleExit() => ExitNoThrow();
}
