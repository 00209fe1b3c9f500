using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;
using BusDirection = NPlug.Buffers.Buses.BusDirection;

namespace NPlug.Buffers.Interop.Bridge;

/// <summary>
/// Exposes an <see cref="AudioProcessor"/> as a VST3 processor class: IComponent (+IPluginBase),
/// IAudioProcessor, IProcessContextRequirements, IConnectionPoint and IAudioPresentationLatency.
/// Every slot is an [UnmanagedCallersOnly] trampoline that catches all exceptions.
/// </summary>
public sealed unsafe class ComponentObject : PluginPartObject
{
    private static readonly ComInterface[] s_interfaces =
    [
        new((nint)Vtables.Component, Iids.IComponent, Iids.IPluginBase),
        new((nint)Vtables.AudioProcessor, Iids.IAudioProcessor),
        new((nint)Vtables.ContextRequirements, Iids.IProcessContextRequirements),
        new((nint)ConnectionPointVtable, Iids.IConnectionPoint),
        new((nint)Vtables.PresentationLatency, Iids.IAudioPresentationLatency),
    ];

    private readonly Tuid _controllerCid;
    private readonly bool _hasController;

    public ComponentObject(AudioProcessor processor, Guid? controllerClassId)
        : base(s_interfaces)
    {
        Processor = processor ?? throw new ArgumentNullException(nameof(processor));
        _hasController = controllerClassId.HasValue;
        _controllerCid = controllerClassId.HasValue ? Tuid.FromGuid(controllerClassId.Value) : default;
    }

    public AudioProcessor Processor { get; }

    private protected override PluginComponentBase Part => Processor;

    protected override void OnFinalRelease()
    {
        if (Processor.IsInitialized) Processor.Terminate();
        Host.ReleaseAll(Processor);
    }

    private int Initialize(void* context)
    {
        if (Processor.IsInitialized) return TResult.ResultFalse;
        Host.SetContext(context);
        Processor.HostName = HostApplicationCalls.GetName(Host.HostApplication);
        int r = Processor.Initialize();
        if (r != TResult.ResultOk) Host.ReleaseAll(Processor);
        return r;
    }

    private int Terminate()
    {
        int r = Processor.Terminate();
        Host.ReleaseAll(Processor);
        return r;
    }

    private int GetControllerClassId(Tuid* cid)
    {
        if (cid == null) return TResult.InvalidArgument;
        if (!_hasController) { *cid = default; return TResult.ResultFalse; }
        *cid = _controllerCid;
        return TResult.ResultOk;
    }

    private static bool ValidDirection(int dir) => dir is BusDirections.Input or BusDirections.Output;
    private static bool ValidMedia(int type) => type is MediaTypes.Audio or MediaTypes.Event;

    private int SetBusArrangements(ulong* inputs, int numIns, ulong* outputs, int numOuts)
    {
        if (numIns < 0 || numOuts < 0 || (inputs == null && numIns > 0) || (outputs == null && numOuts > 0)) return TResult.InvalidArgument;
        return Processor.SetBusArrangements(new ReadOnlySpan<ulong>(inputs, numIns), new ReadOnlySpan<ulong>(outputs, numOuts));
    }

    // ---- vtables -----------------------------------------------------------------------------

    internal static class Vtables
    {
        public static readonly IComponentVtbl* Component = BuildComponent();
        public static readonly IAudioProcessorVtbl* AudioProcessor = BuildProcessor();
        public static readonly IProcessContextRequirementsVtbl* ContextRequirements = BuildContext();
        public static readonly IAudioPresentationLatencyVtbl* PresentationLatency = BuildLatency();

        private static IComponentVtbl* BuildComponent()
        {
            var v = AllocateVtable<IComponentVtbl>();
            v->PluginBase.Initialize = &InitializeThunk;
            v->PluginBase.Terminate = &TerminateThunk;
            v->GetControllerClassId = &GetControllerClassIdThunk;
            v->SetIoMode = &SetIoModeThunk;
            v->GetBusCount = &GetBusCountThunk;
            v->GetBusInfo = &GetBusInfoThunk;
            v->GetRoutingInfo = &GetRoutingInfoThunk;
            v->ActivateBus = &ActivateBusThunk;
            v->SetActive = &SetActiveThunk;
            v->SetState = &SetStateThunk;
            v->GetState = &GetStateThunk;
            return v;
        }

        private static IAudioProcessorVtbl* BuildProcessor()
        {
            var v = AllocateVtable<IAudioProcessorVtbl>();
            v->SetBusArrangements = &SetBusArrangementsThunk;
            v->GetBusArrangement = &GetBusArrangementThunk;
            v->CanProcessSampleSize = &CanProcessSampleSizeThunk;
            v->GetLatencySamples = &GetLatencySamplesThunk;
            v->SetupProcessing = &SetupProcessingThunk;
            v->SetProcessing = &SetProcessingThunk;
            v->Process = &ProcessThunk;
            v->GetTailSamples = &GetTailSamplesThunk;
            return v;
        }

        private static IProcessContextRequirementsVtbl* BuildContext()
        {
            var v = AllocateVtable<IProcessContextRequirementsVtbl>();
            v->GetProcessContextRequirements = &GetProcessContextRequirementsThunk;
            return v;
        }

        private static IAudioPresentationLatencyVtbl* BuildLatency()
        {
            var v = AllocateVtable<IAudioPresentationLatencyVtbl>();
            v->SetAudioPresentationLatencySamples = &SetPresentationLatencyThunk;
            return v;
        }
    }

    private static ComponentObject Self(void* self) => FromThis<ComponentObject>(self);

    // IPluginBase / IComponent
    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static int InitializeThunk(void* self, void* context)
    {
        try { return Self(self).Initialize(context); } catch (Exception e) { return TResult.FromException(e); }
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static int TerminateThunk(void* self)
    {
        try { return Self(self).Terminate(); } catch (Exception e) { return TResult.FromException(e); }
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static int GetControllerClassIdThunk(void* self, Tuid* cid)
    {
        try { return Self(self).GetControllerClassId(cid); } catch (Exception e) { return TResult.FromException(e); }
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static int SetIoModeThunk(void* self, int mode) => TResult.NotImplemented;

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static int GetBusCountThunk(void* self, int type, int dir)
    {
        try { return ValidMedia(type) && ValidDirection(dir) ? Self(self).Processor.GetBusCount((MediaType)type, (BusDirection)dir) : 0; }
        catch { return 0; }
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static int GetBusInfoThunk(void* self, int type, int dir, int index, BusInfo* bus)
    {
        try
        {
            if (bus == null || !ValidMedia(type) || !ValidDirection(dir)) return TResult.InvalidArgument;
            int r = Self(self).Processor.GetBusInfo((MediaType)type, (BusDirection)dir, index, out var info);
            if (r == TResult.ResultOk) *bus = info;
            return r;
        }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static int GetRoutingInfoThunk(void* self, RoutingInfo* inInfo, RoutingInfo* outInfo) => TResult.NotImplemented;

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static int ActivateBusThunk(void* self, int type, int dir, int index, byte state)
    {
        try
        {
            if (!ValidMedia(type) || !ValidDirection(dir)) return TResult.InvalidArgument;
            return Self(self).Processor.ActivateBus((MediaType)type, (BusDirection)dir, index, state != 0);
        }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static int SetActiveThunk(void* self, byte state)
    {
        try { return Self(self).Processor.SetActive(state != 0); } catch (Exception e) { return TResult.FromException(e); }
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static int SetStateThunk(void* self, void* stream)
    {
        try
        {
            if (stream == null) return TResult.InvalidArgument;
            var o = Self(self);
            var s = o.RentStream(stream);
            try { return o.Processor.SetState(s); }
            finally { o.ReturnStream(s); }
        }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static int GetStateThunk(void* self, void* stream)
    {
        try
        {
            if (stream == null) return TResult.InvalidArgument;
            var o = Self(self);
            var s = o.RentStream(stream);
            try { return o.Processor.GetState(s); }
            finally { o.ReturnStream(s); }
        }
        catch (Exception e) { return TResult.FromException(e); }
    }

    // IAudioProcessor
    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static int SetBusArrangementsThunk(void* self, ulong* inputs, int numIns, ulong* outputs, int numOuts)
    {
        try { return Self(self).SetBusArrangements(inputs, numIns, outputs, numOuts); } catch (Exception e) { return TResult.FromException(e); }
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static int GetBusArrangementThunk(void* self, int dir, int index, ulong* arrangement)
    {
        try
        {
            if (arrangement == null || !ValidDirection(dir)) return TResult.InvalidArgument;
            int r = Self(self).Processor.GetBusArrangement((BusDirection)dir, index, out ulong a);
            if (r == TResult.ResultOk) *arrangement = a;
            return r;
        }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static int CanProcessSampleSizeThunk(void* self, int size)
    {
        try { return Self(self).Processor.CanProcessSampleSize(size); } catch (Exception e) { return TResult.FromException(e); }
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static uint GetLatencySamplesThunk(void* self)
    {
        try { return Self(self).Processor.LatencySamples; } catch { return 0; }
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static int SetupProcessingThunk(void* self, ProcessSetup* setup)
    {
        try
        {
            if (setup == null) return TResult.InvalidArgument;
            return Self(self).Processor.SetupProcessing(ProcessSetupInfo.FromNative(*setup));
        }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static int SetProcessingThunk(void* self, byte state)
    {
        try { return Self(self).Processor.SetProcessing(state != 0); } catch (Exception e) { return TResult.FromException(e); }
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static int ProcessThunk(void* self, ProcessData* data)
    {
        try { return Self(self).Processor.Process(data); } catch (Exception e) { return TResult.FromException(e); }
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static uint GetTailSamplesThunk(void* self)
    {
        try { return Self(self).Processor.TailSamples; } catch { return 0; }
    }

    // IProcessContextRequirements
    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static uint GetProcessContextRequirementsThunk(void* self)
    {
        try { return Self(self).Processor.ProcessContextRequirements; } catch { return 0; }
    }

    // IAudioPresentationLatency
    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static int SetPresentationLatencyThunk(void* self, int dir, int busIndex, uint latency)
    {
        try
        {
            if (!ValidDirection(dir)) return TResult.InvalidArgument;
            return Self(self).Processor.SetPresentationLatency((BusDirection)dir, busIndex, latency);
        }
        catch (Exception e) { return TResult.FromException(e); }
    }
}
