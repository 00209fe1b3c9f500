using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Hosting.Com;

namespace NPlug.Buffers.Hosting;

/// <summary>What <c>IPluginFactory::getFactoryInfo</c> reported.</summary>
public sealed record PluginFactoryInfo(string Vendor, string Url, string Email, int Flags);

/// <summary>
/// One class of a factory, from the richest class-info call the factory supports (PClassInfoW, else PClassInfo2,
/// else PClassInfo). <see cref="ClassId"/> is the platform-independent text form (l1..l4); <see cref="Cid"/> the bytes
/// to hand back to <c>createInstance</c>.
/// </summary>
public sealed record PluginClassInfo(
    int Index,
    Tuid Cid,
    Guid ClassId,
    string Name,
    string Category,
    string SubCategories,
    string Vendor,
    string Version,
    string SdkVersion,
    uint ClassFlags,
    int Cardinality,
    int InfoLevel)
{
    public bool IsAudioProcessor => Category == ClassCategories.AudioEffect;

    public bool IsController => Category == ClassCategories.ComponentController;

    /// <summary>The class id as the SDK prints it (32 hex digits, l1..l4).</summary>
    public string ClassIdString => ClassId.ToString("N").ToUpperInvariant();
}

/// <summary>
/// A loaded VST3 module: the native library (or an in-process factory), its entry points, the factory and its
/// class list. <see cref="Dispose"/> follows the SDK: release the factory, then <c>ModuleExit</c>. The library is
/// never unloaded: a NativeAOT plugin cannot survive <c>dlclose</c>, and leaving any module mapped is harmless.
/// </summary>
public sealed unsafe class PluginModule : IDisposable
{
    private void* _factory;   // IPluginFactory*, owned reference
    private void* _factory2;  // IPluginFactory2*, owned reference or null
    private void* _factory3;  // IPluginFactory3*, owned reference or null
    private readonly delegate* unmanaged<byte> _moduleExit;
    private bool _disposed;

    private PluginModule(void* factory, string? binaryPath, nint library, delegate* unmanaged<byte> moduleExit)
    {
        _factory = factory;
        BinaryPath = binaryPath;
        LibraryHandle = library;
        _moduleExit = moduleExit;
        HostContext = new HostApplication();
        _factory2 = Vtbl.QueryInterface(factory, Iids.IPluginFactory2, out _);
        _factory3 = Vtbl.QueryInterface(factory, Iids.IPluginFactory3, out _);
        if (_factory3 != null)
            Vtbl.Of<IPluginFactory3Vtbl>(_factory3)->SetHostContext(_factory3, (void*)HostContext.Pointer);
        FactoryInfo = ReadFactoryInfo();
        Classes = ReadClasses();
    }

    /// <summary>The loaded binary, or null for an in-process factory.</summary>
    public string? BinaryPath { get; }

    public nint LibraryHandle { get; }

    /// <summary>The IHostApplication given to <c>setHostContext</c> and, by default, to every instance.</summary>
    public HostApplication HostContext { get; }

    public PluginFactoryInfo FactoryInfo { get; }

    public IReadOnlyList<PluginClassInfo> Classes { get; }

    /// <summary>Highest factory interface: 1, 2 or 3.</summary>
    public int FactoryVersion => _factory3 != null ? 3 : _factory2 != null ? 2 : 1;

    /// <summary>The IPluginFactory pointer (borrowed).</summary>
    public nint Factory => (nint)_factory;

    public IEnumerable<PluginClassInfo> ProcessorClasses => Classes.Where(c => c.IsAudioProcessor);

    /// <summary>
    /// Loads a bundle (directory or binary path): resolves the binary for this OS, loads it, calls the module entry
    /// point (mandatory <c>ModuleEntry</c> on Linux, optional <c>InitDll</c> on Windows, <c>bundleEntry</c> on macOS),
    /// then <c>GetPluginFactory</c>.
    /// </summary>
    public static PluginModule Load(string bundlePath)
    {
        var binary = BundleLayout.ResolveBinaryPath(bundlePath);
        var library = NativeLibrary.Load(binary);
        delegate* unmanaged<byte> exit = null;
        if (OperatingSystem.IsWindows())
        {
            if (NativeLibrary.TryGetExport(library, "InitDll", out var init) && ((delegate* unmanaged<byte>)init)() == 0)
                throw new InvalidOperationException($"InitDll returned false: {binary}");
            if (NativeLibrary.TryGetExport(library, "ExitDll", out var e)) exit = (delegate* unmanaged<byte>)e;
        }
        else
        {
            var (entryName, exitName) = OperatingSystem.IsMacOS() ? ("bundleEntry", "bundleExit") : ("ModuleEntry", "ModuleExit");
            if (!NativeLibrary.TryGetExport(library, entryName, out var entry))
                throw new InvalidOperationException($"The module does not export the required '{entryName}' function: {binary}");
            if (!NativeLibrary.TryGetExport(library, exitName, out var e))
                throw new InvalidOperationException($"The module does not export the required '{exitName}' function: {binary}");
            exit = (delegate* unmanaged<byte>)e;
            // Linux passes the dlopen handle; macOS would pass a CFBundleRef, which this host does not create.
            var handle = OperatingSystem.IsMacOS() ? null : (void*)library;
            if (((delegate* unmanaged<void*, byte>)entry)(handle) == 0)
                throw new InvalidOperationException($"{entryName} returned false: {binary}");
        }
        if (!NativeLibrary.TryGetExport(library, "GetPluginFactory", out var getFactory))
        {
            if (exit != null) exit();
            throw new InvalidOperationException($"The module does not export GetPluginFactory: {binary}");
        }
        var factory = ((delegate* unmanaged<void*>)getFactory)();
        if (factory == null)
        {
            if (exit != null) exit();
            throw new InvalidOperationException($"GetPluginFactory returned null: {binary}");
        }
        return new PluginModule(factory, binary, library, exit);
    }

    /// <summary>
    /// Wraps an in-process factory (e.g. a managed plugin's factory pointer) and drives it through its real function
    /// pointers. Takes ownership of one reference, like <c>GetPluginFactory</c>.
    /// </summary>
    public static PluginModule FromFactory(nint factory)
    {
        if (factory == 0) throw new ArgumentNullException(nameof(factory));
        return new PluginModule((void*)factory, null, 0, null);
    }

    public PluginClassInfo FindClass(Guid classId) =>
        Classes.FirstOrDefault(c => c.ClassId == classId) ?? throw new KeyNotFoundException($"No class {classId} in the factory.");

    /// <summary>
    /// <c>createInstance(cid, iid)</c>: returns an owned interface pointer, or null with the result code in
    /// <paramref name="result"/>.
    /// </summary>
    public void* CreateInstance(in Tuid cid, InterfaceId iid, out int result)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        void* obj = null;
        var c = cid;
        result = Vtbl.Of<IPluginFactoryVtbl>(_factory)->CreateInstance(_factory, &c, iid.Pointer, &obj);
        if (result != TResult.ResultOk)
        {
            // A well-behaved factory leaves null on failure; never trust (or leak) anything else.
            return null;
        }
        return obj;
    }

    /// <summary>Creates a processor (and its controller) of a class, initialized and connected like a DAW does.</summary>
    public HostedPlugin CreatePlugin(PluginClassInfo? processorClass = null, HostApplication? context = null)
    {
        processorClass ??= ProcessorClasses.FirstOrDefault() ?? throw new InvalidOperationException("The factory has no audio processor class.");
        return HostedPlugin.Create(this, processorClass, context ?? HostContext);
    }

    private PluginFactoryInfo ReadFactoryInfo()
    {
        PFactoryInfo info = default;
        int r = Vtbl.Of<IPluginFactoryVtbl>(_factory)->GetFactoryInfo(_factory, &info);
        if (r != TResult.ResultOk) return new PluginFactoryInfo("", "", "", 0);
        return new PluginFactoryInfo(AbiStrings.Read(info.Vendor), AbiStrings.Read(info.Url), AbiStrings.Read(info.Email), info.Flags);
    }

    private List<PluginClassInfo> ReadClasses()
    {
        var list = new List<PluginClassInfo>();
        int count = Vtbl.Of<IPluginFactoryVtbl>(_factory)->CountClasses(_factory);
        for (int i = 0; i < count; i++)
        {
            var info = ReadClass(i);
            if (info != null) list.Add(info);
        }
        return list;
    }

    private PluginClassInfo? ReadClass(int index)
    {
        if (_factory3 != null)
        {
            PClassInfoW w = default;
            if (Vtbl.Of<IPluginFactory3Vtbl>(_factory3)->GetClassInfoUnicode(_factory3, index, &w) == TResult.ResultOk)
                return new PluginClassInfo(index, w.Cid, w.Cid.ToGuid(), AbiStrings.Read(w.Name), AbiStrings.Read(w.Category),
                    AbiStrings.Read(w.SubCategories), AbiStrings.Read(w.Vendor), AbiStrings.Read(w.Version),
                    AbiStrings.Read(w.SdkVersion), w.ClassFlags, w.Cardinality, 3);
        }
        if (_factory2 != null)
        {
            PClassInfo2 c2 = default;
            if (Vtbl.Of<IPluginFactory2Vtbl>(_factory2)->GetClassInfo2(_factory2, index, &c2) == TResult.ResultOk)
                return new PluginClassInfo(index, c2.Cid, c2.Cid.ToGuid(), AbiStrings.Read(c2.Name), AbiStrings.Read(c2.Category),
                    AbiStrings.Read(c2.SubCategories), AbiStrings.Read(c2.Vendor), AbiStrings.Read(c2.Version),
                    AbiStrings.Read(c2.SdkVersion), c2.ClassFlags, c2.Cardinality, 2);
        }
        PClassInfo c = default;
        if (Vtbl.Of<IPluginFactoryVtbl>(_factory)->GetClassInfo(_factory, index, &c) != TResult.ResultOk) return null;
        return new PluginClassInfo(index, c.Cid, c.Cid.ToGuid(), AbiStrings.Read(c.Name), AbiStrings.Read(c.Category),
            "", FactoryInfo.Vendor, "", "", 0, c.Cardinality, 1);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Vtbl.Release(_factory3);
        Vtbl.Release(_factory2);
        Vtbl.Release(_factory);
        _factory = _factory2 = _factory3 = null;
        if (_moduleExit != null) _moduleExit();
        HostContext.Release();
        // No NativeLibrary.Free: see the type remarks.
    }
}
