using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Bridge;
using NPlug.Buffers.TestPlugin;

namespace NPlug.Buffers.Tests.Abi;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PluginExportsCollection
{
    /// <summary>Tests that touch the process-wide module state (entry count, registered factory).</summary>
    public const string Name = "PluginExports";
}

/// <summary>The module entry points as function pointers (in-process, no NativeAOT).</summary>
[Collection(PluginExportsCollection.Name)]
public unsafe class ExportTests
{
    [Fact]
    public void Module_entry_is_counted_and_factory_is_a_shared_owned_reference()
    {
        // Touching the test plugin runs its [ModuleInitializer], which registers it.
        Assert.Equal(TestGain.Name, TestGain.CreateDescription().Classes[0].Name);
        Assert.NotNull(PluginExports.Registered);

        var ep = PluginExports.EntryPoints;
        int before = PluginExports.ModuleEntryCount;
        Assert.Equal(1, ep.ModuleEntry(null));
        Assert.Equal(1, ep.ModuleEntry(null)); // may be called more than once
        Assert.Equal(before + 2, PluginExports.ModuleEntryCount);

        void* f1 = ep.GetPluginFactory();
        void* f2 = ep.GetPluginFactory();
        Assert.True(f1 != null && f1 == f2);
        var f = Vtbl.Of<IPluginFactoryVtbl>(f1);
        Assert.Equal(2, f->CountClasses(f1));
        Assert.Equal(1u, Vtbl.Release(f2));
        Assert.Equal(0u, Vtbl.Release(f1));
        // After the last release a new factory is created (refcount 1 again).
        void* f3 = ep.GetPluginFactory();
        Assert.Equal(2u, Vtbl.AddRef(f3));
        Vtbl.Release(f3);
        Assert.Equal(0u, Vtbl.Release(f3));

        Assert.Equal(1, ep.ModuleExit());
        Assert.Equal(1, ep.ModuleExit());
        Assert.Equal(before, PluginExports.ModuleEntryCount);
        if (before == 0) Assert.Equal(0, ep.ModuleExit()); // unmatched exit fails and does not go negative
        Assert.Equal(before, PluginExports.ModuleEntryCount);
    }
}
