using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Interop.Bridge;
using NPlug.Buffers.TestPlugin;

namespace NPlug.Buffers.Tests.Abi;

/// <summary>Drives the managed plugin objects through their native vtables, as a host would.</summary>
public unsafe class PluginComTests
{
    private static readonly Tuid ProcessorCid = Tuid.FromGuid(Guid.Parse(TestGain.ProcessorClassId));
    private static readonly Tuid ControllerCid = Tuid.FromGuid(Guid.Parse(TestGain.ControllerClassId));

    private static void* Factory() => PluginExports.CreateFactory(TestGain.CreateDescription());
    private static IPluginFactory3Vtbl* F(void* f) => Vtbl.Of<IPluginFactory3Vtbl>(f);
    private static uint Release(void* p) => Vtbl.Release(p);
    private static uint AddRef(void* p) => Vtbl.AddRef(p);

    private static int QI(void* obj, InterfaceId iid, out void* result)
    {
        void* r = (void*)0x1;
        int code = Vtbl.Of<FUnknownVtbl>(obj)->QueryInterface(obj, iid.Pointer, &r);
        result = r;
        return code;
    }

    private static void* Create(void* factory, Tuid cid, InterfaceId iid)
    {
        void* obj = null;
        Assert.Equal(TResult.ResultOk, F(factory)->Factory2.Factory.CreateInstance(factory, &cid, iid.Pointer, &obj));
        Assert.True(obj != null);
        return obj;
    }

    [Fact]
    public void Factory_reports_info_and_classes()
    {
        void* f = Factory();
        PFactoryInfo info;
        Assert.Equal(TResult.ResultOk, F(f)->Factory2.Factory.GetFactoryInfo(f, &info));
        Assert.Equal("NPlug.Buffers", AbiStrings.Read(in info.Vendor));
        Assert.Equal(FactoryFlags.Unicode, info.Flags);
        Assert.Equal(2, F(f)->Factory2.Factory.CountClasses(f));

        PClassInfo c1;
        PClassInfo2 c2;
        PClassInfoW cw;
        Assert.Equal(TResult.ResultOk, F(f)->Factory2.Factory.GetClassInfo(f, 0, &c1));
        Assert.Equal(TResult.ResultOk, F(f)->Factory2.GetClassInfo2(f, 0, &c2));
        Assert.Equal(TResult.ResultOk, F(f)->GetClassInfoUnicode(f, 1, &cw));
        Assert.Equal(ProcessorCid, c1.Cid);
        Assert.Equal("Audio Module Class", AbiStrings.Read(in c1.Category));
        Assert.Equal(ClassCardinality.ManyInstances, c1.Cardinality);
        Assert.Equal("Fx|Tools", AbiStrings.Read(in c2.SubCategories));
        Assert.Equal("VST 3.7.14", AbiStrings.Read(in c2.SdkVersion));
        Assert.Equal(ComponentFlags.Distributable, c2.ClassFlags);
        Assert.Equal(ControllerCid, cw.Cid);
        Assert.Equal("Component Controller Class", AbiStrings.Read(in cw.Category));
        Assert.Equal(TestGain.Name + " Controller", AbiStrings.Read(in cw.Name));

        Assert.Equal(TResult.InvalidArgument, F(f)->Factory2.Factory.GetClassInfo(f, 2, &c1));
        Assert.Equal(TResult.InvalidArgument, F(f)->Factory2.Factory.GetClassInfo(f, -1, &c1));
        Assert.Equal(TResult.InvalidArgument, F(f)->Factory2.Factory.GetClassInfo(f, 0, null));
        Assert.Equal(0u, Release(f));
    }

    [Fact]
    public void Factory_query_interface_semantics()
    {
        void* f = Factory();
        foreach (var iid in new[] { Iids.FUnknown, Iids.IPluginFactory, Iids.IPluginFactory2, Iids.IPluginFactory3 })
        {
            Assert.Equal(TResult.ResultOk, QI(f, iid, out void* p));
            Assert.True(p == f); // one table serves all three factory interfaces
        }
        Assert.Equal(6u, AddRef(f)); // 1 (creation) + 4 successful QIs + this one
        Assert.Equal(TResult.NoInterface, QI(f, Iids.IComponent, out void* miss));
        Assert.True(miss == null); // a miss does not add a reference
        Assert.Equal(5u, Release(f));
        for (uint expected = 4; expected > 0; expected--) Assert.Equal(expected, Release(f));
        Assert.Equal(0u, Release(f));
    }

    [Fact]
    public void CreateInstance_with_unknown_cid_or_iid_gives_null_and_no_interface()
    {
        void* f = Factory();
        Tuid bogus = Tuid.FromParts(1, 2, 3, 4);
        Tuid cid = ProcessorCid;
        void* obj = (void*)0x1;
        Assert.Equal(TResult.NoInterface, F(f)->Factory2.Factory.CreateInstance(f, &bogus, Iids.IComponent.Pointer, &obj));
        Assert.True(obj == null);
        obj = (void*)0x1;
        Assert.Equal(TResult.NoInterface, F(f)->Factory2.Factory.CreateInstance(f, &cid, Iids.IEditController.Pointer, &obj));
        Assert.True(obj == null);
        obj = (void*)0x1;
        Assert.Equal(TResult.NoInterface, F(f)->Factory2.Factory.CreateInstance(f, &cid, &bogus, &obj));
        Assert.True(obj == null);
        Assert.Equal(TResult.InvalidArgument, F(f)->Factory2.Factory.CreateInstance(f, &cid, Iids.IComponent.Pointer, null));
        Assert.Equal(TResult.InvalidArgument, F(f)->Factory2.Factory.CreateInstance(f, null, Iids.IComponent.Pointer, &obj));
        Release(f);
    }

    [Fact]
    public void Component_answers_its_interfaces_with_a_stable_identity()
    {
        void* f = Factory();
        void* component = Create(f, ProcessorCid, Iids.IComponent);
        Assert.Equal(TResult.ResultOk, QI(component, Iids.FUnknown, out void* unknown));
        Assert.Equal(TResult.ResultOk, QI(component, Iids.IPluginBase, out void* pluginBase));
        Assert.True(pluginBase == component);
        foreach (var iid in new[] { Iids.IAudioProcessor, Iids.IProcessContextRequirements, Iids.IConnectionPoint, Iids.IAudioPresentationLatency })
        {
            Assert.Equal(TResult.ResultOk, QI(component, iid, out void* p));
            Assert.True(p != null && p != component);
            // FUnknown from any interface is the same pointer (COM identity rule).
            Assert.Equal(TResult.ResultOk, QI(p, Iids.FUnknown, out void* u2));
            Assert.True(u2 == unknown);
            // And back to IComponent.
            Assert.Equal(TResult.ResultOk, QI(p, Iids.IComponent, out void* c2));
            Assert.True(c2 == component);
            Release(u2); Release(c2); Release(p);
        }
        Assert.Equal(TResult.NoInterface, QI(component, Iids.IEditController, out void* miss));
        Assert.True(miss == null);
        Assert.Equal(TResult.InvalidArgument, Vtbl.Of<FUnknownVtbl>(component)->QueryInterface(component, Iids.IComponent.Pointer, null));
        Release(unknown); Release(pluginBase);
        Assert.Equal(0u, Release(component));
        Release(f);
    }

    [Fact]
    public void Refcounts_are_thread_safe()
    {
        void* f = Factory();
        nint p = (nint)f;
        Parallel.For(0, 8, _ => { for (int i = 0; i < 10000; i++) AddRef((void*)p); });
        Parallel.For(0, 8, _ => { for (int i = 0; i < 10000; i++) Release((void*)p); });
        Assert.Equal(2u, AddRef(f));
        Release(f);
        Assert.Equal(0u, Release(f));
    }

    [Fact]
    public void Host_pointers_are_addrefd_while_held_and_released_on_terminate_and_disconnect()
    {
        var host = new FakeHost();
        void* f = Factory();
        void* component = Create(f, ProcessorCid, Iids.IComponent);
        var c = Vtbl.Of<IComponentVtbl>(component);

        Assert.Equal(TResult.ResultOk, c->PluginBase.Initialize(component, host.UnknownPointer));
        Assert.True(host.ReferenceCount > 1);
        Assert.Equal(TResult.ResultFalse, c->PluginBase.Initialize(component, host.UnknownPointer)); // twice
        QI(component, Iids.IConnectionPoint, out void* cp);
        var conn = Vtbl.Of<IConnectionPointVtbl>(cp);
        int beforeConnect = host.ReferenceCount;
        Assert.Equal(TResult.ResultOk, conn->Connect(cp, host.ConnectionPoint));
        Assert.Equal(beforeConnect + 1, host.ReferenceCount);
        Assert.Equal(TResult.ResultFalse, conn->Disconnect(cp, host.HostApplication)); // not the peer
        Assert.Equal(TResult.ResultOk, conn->Disconnect(cp, host.ConnectionPoint));
        Assert.Equal(beforeConnect, host.ReferenceCount);
        Assert.Equal(TResult.ResultOk, conn->Connect(cp, host.ConnectionPoint));

        Assert.Equal(TResult.ResultOk, c->PluginBase.Terminate(component));
        Assert.Equal(1, host.ReferenceCount); // context, IHostApplication and peer all released
        // initialize works again after terminate
        Assert.Equal(TResult.ResultOk, c->PluginBase.Initialize(component, host.UnknownPointer));
        Assert.Equal(1, c->GetBusCount(component, MediaTypes.Audio, BusDirections.Output));
        Release(cp);
        Assert.Equal(0u, Release(component)); // final release terminates and drops the context too
        Assert.Equal(1, host.ReferenceCount);
        Release(f);
        host.Release();
    }

    [Fact]
    public void Controller_holds_the_component_handler_until_terminate()
    {
        var host = new FakeHost();
        void* f = Factory();
        void* controller = Create(f, ControllerCid, Iids.IEditController);
        var e = Vtbl.Of<IEditControllerVtbl>(controller);
        Assert.Equal(TResult.ResultOk, e->PluginBase.Initialize(controller, host.UnknownPointer));
        int afterInit = host.ReferenceCount;
        Assert.Equal(TResult.ResultOk, e->SetComponentHandler(controller, host.ComponentHandler));
        Assert.Equal(afterInit + 1, host.ReferenceCount);
        Assert.Equal(TResult.ResultOk, e->SetComponentHandler(controller, null));
        Assert.Equal(afterInit, host.ReferenceCount);
        Assert.Equal(TResult.ResultOk, e->SetComponentHandler(controller, host.ComponentHandler));
        Assert.Equal(TResult.ResultOk, e->PluginBase.Terminate(controller));
        Assert.Equal(1, host.ReferenceCount);
        Assert.Equal(0u, Release(controller));
        Release(f);
        host.Release();
    }

    [Fact]
    public void Controller_parameters_through_the_abi()
    {
        void* f = Factory();
        void* controller = Create(f, ControllerCid, Iids.IEditController);
        var e = Vtbl.Of<IEditControllerVtbl>(controller);
        Assert.Equal(TResult.ResultOk, e->PluginBase.Initialize(controller, null));
        Assert.Equal(1, e->GetParameterCount(controller));
        ParameterInfo info;
        Assert.Equal(TResult.ResultOk, e->GetParameterInfo(controller, 0, &info));
        Assert.Equal(TestGain.GainId, info.Id);
        Assert.Equal("Gain", AbiStrings.Read(in info.Title));
        Assert.Equal("dB", AbiStrings.Read(in info.Units));
        Assert.Equal(60.0 / 72.0, info.DefaultNormalizedValue, 12);
        Assert.Equal(TResult.InvalidArgument, e->GetParameterInfo(controller, 1, &info));

        // plain = -60 + 72·n (independent reference)
        Assert.Equal(-24.0, e->NormalizedParamToPlain(controller, 0, 0.5), 12);
        Assert.Equal(0.25, e->PlainParamToNormalized(controller, 0, -42), 12);
        char* text = stackalloc char[128];
        Assert.Equal(TResult.ResultOk, e->GetParamStringByValue(controller, 0, 0.5, text));
        Assert.Equal("-24.0", AbiStrings.ReadString128(text));
        double value = -1;
        fixed (char* s = "6 dB\0") Assert.Equal(TResult.ResultOk, e->GetParamValueByString(controller, 0, s, &value));
        Assert.Equal(66.0 / 72.0, value, 12);
        Assert.Equal(TResult.ResultOk, e->SetParamNormalized(controller, 0, 0.75));
        Assert.Equal(0.75, e->GetParamNormalized(controller, 0));
        Assert.Equal(TResult.InvalidArgument, e->SetParamNormalized(controller, 99, 0.75));
        Assert.Equal(TResult.InvalidArgument, e->GetParamStringByValue(controller, 0, 0.5, null));
        Assert.True(e->CreateView(controller, null) == null);

        QI(controller, Iids.IUnitInfo, out void* units);
        var u = Vtbl.Of<IUnitInfoVtbl>(units);
        Assert.Equal(1, u->GetUnitCount(units));
        UnitInfo root;
        Assert.Equal(TResult.ResultOk, u->GetUnitInfo(units, 0, &root));
        Assert.Equal(-1, root.ParentUnitId);
        Release(units);
        Release(controller);
        Release(f);
    }

    [Fact]
    public void State_round_trips_from_component_to_controller()
    {
        void* f = Factory();
        void* component = Create(f, ProcessorCid, Iids.IComponent);
        void* controller = Create(f, ControllerCid, Iids.IEditController);
        var c = Vtbl.Of<IComponentVtbl>(component);
        var e = Vtbl.Of<IEditControllerVtbl>(controller);
        c->PluginBase.Initialize(component, null);
        e->PluginBase.Initialize(controller, null);

        var input = new FakeStream(BitConverter.GetBytes(0.125));
        Assert.Equal(TResult.ResultOk, c->SetState(component, input.Pointer));
        var saved = new FakeStream();
        Assert.Equal(TResult.ResultOk, c->GetState(component, saved.Pointer));
        Assert.Equal(BitConverter.GetBytes(0.125), saved.Memory.ToArray());
        saved.Memory.Position = 0;
        Assert.Equal(TResult.ResultOk, e->SetComponentState(controller, saved.Pointer));
        Assert.Equal(0.125, e->GetParamNormalized(controller, 0));

        // Garbage: too short, then out of range. Refused, state unchanged.
        Assert.Equal(TResult.ResultFalse, c->SetState(component, new FakeStream([1, 2, 3]).Pointer));
        Assert.Equal(TResult.ResultFalse, c->SetState(component, new FakeStream(BitConverter.GetBytes(double.NaN)).Pointer));
        Assert.Equal(TResult.InvalidArgument, c->SetState(component, null));
        var again = new FakeStream();
        c->GetState(component, again.Pointer);
        Assert.Equal(0.125, BitConverter.ToDouble(again.Memory.ToArray()));

        Release(component); Release(controller); Release(f);
    }
}
