using NPlug.Buffers.Hosting.Com;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Bridge;
using NPlug.Buffers.TestPlugin;

namespace NPlug.Buffers.Tests.Abi;

/// <summary>
/// One COM core (<see cref="ComObject"/>) serves plugin-side objects (factory, component, controller) and host-side
/// objects (streams, parameter changes, messages, ...): the same FUnknown answers on both sides of the ABI.
/// </summary>
public sealed unsafe class ComCoreTests
{
    private static int QueryNullIid(void* obj, out void* result)
    {
        void* r = (void*)0x1;
        int code = Vtbl.Of<FUnknownVtbl>(obj)->QueryInterface(obj, null, &r);
        result = r;
        return code;
    }

    /// <summary>Objects of both sides, as (what, interface pointer, release) — every one made by the one core.</summary>
    private static List<(string What, nint Pointer, Action Release)> Objects()
    {
        nint factory = (nint)PluginExports.CreateFactory(TestGain.CreateDescription());
        nint component = CreateComponent(factory);
        var objects = new List<(string What, nint Pointer, Action Release)>
        {
            ("plugin factory", factory, () => Vtbl.Release((void*)factory)),
            ("plugin component", component, () => Vtbl.Release((void*)component)),
        };
        ComObject[] hostObjects =
        [
            new HostBStream(), new HostParameterChanges(), new HostEventList(), new HostApplication(),
            new HostAttributeList(), new HostMessage(), new HostComponentHandler(),
        ];
        foreach (var o in hostObjects) objects.Add((o.GetType().Name, o.Pointer, () => o.Release()));
        return objects;
    }

    private static nint CreateComponent(nint factory)
    {
        var cid = Tuid.FromGuid(Guid.Parse(TestGain.ProcessorClassId));
        void* component = null;
        void* f = (void*)factory;
        Assert.Equal(TResult.ResultOk, Vtbl.Of<IPluginFactoryVtbl>(f)->CreateInstance(f, &cid, Iids.IComponent.Pointer, &component));
        return (nint)component;
    }

    [Fact]
    public void A_null_iid_is_an_invalid_argument_on_both_sides()
    {
        // Decided once in ComObject.QueryInterface (kInvalidArgument, *obj = null). Before the cores were merged the
        // plugin side answered kNoInterface and the host side kInvalidArgument.
        foreach (var (what, pointer, release) in Objects())
        {
            Assert.True(TResult.InvalidArgument == QueryNullIid((void*)pointer, out void* result), what);
            Assert.True(result == null, what);
            release();
        }
    }

    [Fact]
    public void A_null_out_pointer_is_an_invalid_argument_on_both_sides()
    {
        foreach (var (what, pointer, release) in Objects())
        {
            void* self = (void*)pointer;
            Assert.True(TResult.InvalidArgument == Vtbl.Of<FUnknownVtbl>(self)->QueryInterface(self, Iids.FUnknown.Pointer, null), what);
            release();
        }
    }

    [Fact]
    public void Both_sides_share_the_same_funknown_trampolines()
    {
        var stream = new HostBStream();
        void* factory = PluginExports.CreateFactory(TestGain.CreateDescription());
        var host = Vtbl.Of<FUnknownVtbl>((void*)stream.Pointer);
        var plugin = Vtbl.Of<FUnknownVtbl>(factory);
        Assert.Equal((nint)host->QueryInterface, (nint)plugin->QueryInterface);
        Assert.Equal((nint)host->AddRef, (nint)plugin->AddRef);
        Assert.Equal((nint)host->Release, (nint)plugin->Release);
        Vtbl.Release(factory);
        stream.Release();
    }

    [Fact]
    public void A_null_this_is_refused_without_touching_memory()
    {
        var stream = new HostBStream();
        var unknown = Vtbl.Of<FUnknownVtbl>((void*)stream.Pointer);
        void* r = (void*)0x1;
        Assert.Equal(TResult.InvalidArgument, unknown->QueryInterface(null, Iids.FUnknown.Pointer, &r));
        Assert.True(r == null);
        Assert.Equal(0u, unknown->AddRef(null));
        Assert.Equal(0u, unknown->Release(null));
        Assert.Equal(1, stream.ReferenceCount);
        stream.Release();
    }

    [Fact]
    public void The_iid_table_answers_bases_with_their_record_and_unknown_with_the_identity()
    {
        var stream = new HostBStream();
        Assert.Equal(stream.Pointer, stream.PointerOf(Iids.IBStream));
        Assert.NotEqual(0, stream.PointerOf(Iids.ISizeableStream));
        Assert.NotEqual(stream.Pointer, stream.PointerOf(Iids.ISizeableStream));
        Assert.Equal(0, stream.PointerOf(Iids.IComponent));
        Assert.True(stream.QueryInterface(Iids.FUnknown) == stream.UnknownPointer);
        Assert.Equal(2, stream.ReferenceCount);
        stream.Release();
        Assert.Equal(0u, stream.Release());
        Assert.False(stream.IsAlive);
        Assert.Equal(0u, stream.Release()); // an over-release is ignored, not a double free
        Assert.Equal(0, stream.ReferenceCount);
    }

    [Fact]
    public void A_table_entry_needs_a_vtable_and_an_iid()
    {
        Assert.Throws<ArgumentException>(() => new ComInterface(0, Iids.IBStream));
        Assert.Throws<ArgumentException>(() => new ComInterface(1));
    }
}
