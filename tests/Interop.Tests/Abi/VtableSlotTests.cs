using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Tests.Abi;

// Slot numbers from shared/vst3-abi.md §3.2 (Itanium pointer-to-member slots of the SDK headers).
public unsafe class VtableSlotTests
{
    private static int Slot<T>(T* v, void* field) where T : unmanaged => (int)((byte*)field - (byte*)v) / sizeof(void*);

    [Fact]
    public void Vtable_sizes_are_slot_counts()
    {
        Assert.Equal(3 * 8, sizeof(FUnknownVtbl));
        Assert.Equal(5 * 8, sizeof(IPluginBaseVtbl));
        Assert.Equal(7 * 8, sizeof(IPluginFactoryVtbl));
        Assert.Equal(8 * 8, sizeof(IPluginFactory2Vtbl));
        Assert.Equal(10 * 8, sizeof(IPluginFactory3Vtbl));
        Assert.Equal(14 * 8, sizeof(IComponentVtbl));
        Assert.Equal(11 * 8, sizeof(IAudioProcessorVtbl));
        Assert.Equal(4 * 8, sizeof(IProcessContextRequirementsVtbl));
        Assert.Equal(4 * 8, sizeof(IAudioPresentationLatencyVtbl));
        Assert.Equal(18 * 8, sizeof(IEditControllerVtbl));
        Assert.Equal(6 * 8, sizeof(IConnectionPointVtbl));
        Assert.Equal(6 * 8, sizeof(IMessageVtbl));
        Assert.Equal(11 * 8, sizeof(IAttributeListVtbl));
        Assert.Equal(7 * 8, sizeof(IBStreamVtbl));
        Assert.Equal(6 * 8, sizeof(IParameterChangesVtbl));
        Assert.Equal(7 * 8, sizeof(IParamValueQueueVtbl));
        Assert.Equal(6 * 8, sizeof(IEventListVtbl));
        Assert.Equal(5 * 8, sizeof(IHostApplicationVtbl));
        Assert.Equal(7 * 8, sizeof(IComponentHandlerVtbl));
        Assert.Equal(7 * 8, sizeof(IComponentHandler2Vtbl));
        Assert.Equal(15 * 8, sizeof(IUnitInfoVtbl));
    }

    [Fact]
    public void Factory_slots()
    {
        IPluginFactory3Vtbl v; var p = &v;
        Assert.Equal(0, Slot(p, &p->Factory2.Factory.Unknown.QueryInterface));
        Assert.Equal(1, Slot(p, &p->Factory2.Factory.Unknown.AddRef));
        Assert.Equal(2, Slot(p, &p->Factory2.Factory.Unknown.Release));
        Assert.Equal(3, Slot(p, &p->Factory2.Factory.GetFactoryInfo));
        Assert.Equal(4, Slot(p, &p->Factory2.Factory.CountClasses));
        Assert.Equal(5, Slot(p, &p->Factory2.Factory.GetClassInfo));
        Assert.Equal(6, Slot(p, &p->Factory2.Factory.CreateInstance));
        Assert.Equal(7, Slot(p, &p->Factory2.GetClassInfo2));
        Assert.Equal(8, Slot(p, &p->GetClassInfoUnicode));
        Assert.Equal(9, Slot(p, &p->SetHostContext));
    }

    [Fact]
    public void Component_slots()
    {
        IComponentVtbl v; var p = &v;
        Assert.Equal(3, Slot(p, &p->PluginBase.Initialize));
        Assert.Equal(4, Slot(p, &p->PluginBase.Terminate));
        Assert.Equal(5, Slot(p, &p->GetControllerClassId));
        Assert.Equal(6, Slot(p, &p->SetIoMode));
        Assert.Equal(7, Slot(p, &p->GetBusCount));
        Assert.Equal(8, Slot(p, &p->GetBusInfo));
        Assert.Equal(9, Slot(p, &p->GetRoutingInfo));
        Assert.Equal(10, Slot(p, &p->ActivateBus));
        Assert.Equal(11, Slot(p, &p->SetActive));
        Assert.Equal(12, Slot(p, &p->SetState));
        Assert.Equal(13, Slot(p, &p->GetState));
    }

    [Fact]
    public void AudioProcessor_slots()
    {
        IAudioProcessorVtbl v; var p = &v;
        Assert.Equal(3, Slot(p, &p->SetBusArrangements));
        Assert.Equal(4, Slot(p, &p->GetBusArrangement));
        Assert.Equal(5, Slot(p, &p->CanProcessSampleSize));
        Assert.Equal(6, Slot(p, &p->GetLatencySamples));
        Assert.Equal(7, Slot(p, &p->SetupProcessing));
        Assert.Equal(8, Slot(p, &p->SetProcessing));
        Assert.Equal(9, Slot(p, &p->Process));
        Assert.Equal(10, Slot(p, &p->GetTailSamples));
    }

    [Fact]
    public void EditController_slots()
    {
        IEditControllerVtbl v; var p = &v;
        Assert.Equal(5, Slot(p, &p->SetComponentState));
        Assert.Equal(6, Slot(p, &p->SetState));
        Assert.Equal(7, Slot(p, &p->GetState));
        Assert.Equal(8, Slot(p, &p->GetParameterCount));
        Assert.Equal(9, Slot(p, &p->GetParameterInfo));
        Assert.Equal(10, Slot(p, &p->GetParamStringByValue));
        Assert.Equal(11, Slot(p, &p->GetParamValueByString));
        Assert.Equal(12, Slot(p, &p->NormalizedParamToPlain));
        Assert.Equal(13, Slot(p, &p->PlainParamToNormalized));
        Assert.Equal(14, Slot(p, &p->GetParamNormalized));
        Assert.Equal(15, Slot(p, &p->SetParamNormalized));
        Assert.Equal(16, Slot(p, &p->SetComponentHandler));
        Assert.Equal(17, Slot(p, &p->CreateView));
    }

    [Fact]
    public void Host_interface_slots()
    {
        IAttributeListVtbl a; var pa = &a;
        Assert.Equal(8, Slot(pa, &pa->GetString));
        Assert.Equal(10, Slot(pa, &pa->GetBinary));
        IBStreamVtbl s; var ps = &s;
        Assert.Equal(3, Slot(ps, &ps->Read));
        Assert.Equal(6, Slot(ps, &ps->Tell));
        IParamValueQueueVtbl q; var pq = &q;
        Assert.Equal(5, Slot(pq, &pq->GetPoint));
        IEventListVtbl e; var pe = &e;
        Assert.Equal(4, Slot(pe, &pe->GetEvent));
        IComponentHandlerVtbl h; var ph = &h;
        Assert.Equal(6, Slot(ph, &ph->RestartComponent));
        IUnitInfoVtbl u; var pu = &u;
        Assert.Equal(14, Slot(pu, &pu->SetUnitProgramData));
    }
}
