using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Interop.Bridge;

namespace NPlug.Buffers.Tests.Abi;

/// <summary>Exceptions thrown by plugin code must come back as result codes, never cross the ABI.</summary>
public unsafe class FailureTests
{
    private sealed class Throwing : AudioProcessor
    {
        public bool ThrowInBuses;
        protected override void ConfigureBuses(BusLayout buses)
        {
            if (ThrowInBuses) throw new InvalidTimeZoneException("boom");
            buses.AddAudioOutput("Out", SpeakerArrangements.Stereo);
        }

        protected override int OnProcess(ProcessBlock block) => throw new DivideByZeroException();
        protected override void OnWriteState(Stream stream) => throw new ArgumentException("bad");
        public override uint LatencySamples => throw new InvalidOperationException();
        protected override void OnActivate() => throw new NotSupportedException();
    }

    private sealed class ThrowingController : EditController
    {
        protected override void ConfigureParameters(ParameterList parameters) => parameters.Add(AudioParameter.Toggle(1, "T"));
        protected override bool OnSetComponentState(Stream stream, Span<double> values) => throw new OutOfMemoryException();
    }

    private static readonly Guid ProcessorId = Guid.Parse("11111111-2222-3333-4444-555555555555");
    private static readonly Guid ControllerId = Guid.Parse("11111111-2222-3333-4444-555555555556");
    private static readonly Guid BrokenId = Guid.Parse("11111111-2222-3333-4444-555555555557");

    private static void* CreateFactory(Func<AudioProcessor> processor)
    {
        var d = new PluginFactoryDescription("Test");
        d.AddProcessor(ProcessorId, "Throwing", "Fx", ControllerId, processor);
        d.AddController(ControllerId, "Throwing Controller", () => new ThrowingController());
        d.AddProcessor(BrokenId, "Broken", "Fx", ControllerId, () => throw new InvalidCastException("ctor"));
        return PluginExports.CreateFactory(d);
    }

    private static void* Create(void* f, Guid id, InterfaceId iid, out int result)
    {
        Tuid cid = Tuid.FromGuid(id);
        void* obj = (void*)0x1;
        result = Vtbl.Of<IPluginFactoryVtbl>(f)->CreateInstance(f, &cid, iid.Pointer, &obj);
        return obj;
    }

    [Fact]
    public void Plugin_exceptions_become_error_codes()
    {
        void* f = CreateFactory(() => new Throwing());
        void* component = Create(f, ProcessorId, Iids.IComponent, out _);
        var c = Vtbl.Of<IComponentVtbl>(component);
        void* processor = Vtbl.QueryInterface(component, Iids.IAudioProcessor, out _);
        var p = Vtbl.Of<IAudioProcessorVtbl>(processor);

        Assert.Equal(TResult.ResultOk, c->PluginBase.Initialize(component, null));
        Assert.Equal(0u, p->GetLatencySamples(processor)); // threw InvalidOperationException
        ProcessSetup setup = new() { MaxSamplesPerBlock = 64, SampleRate = 48000 };
        Assert.Equal(TResult.ResultOk, p->SetupProcessing(processor, &setup));
        Assert.Equal(TResult.NotImplemented, c->SetActive(component, 1)); // NotSupportedException
        var stream = new FakeStream();
        Assert.Equal(TResult.InvalidArgument, c->GetState(component, stream.Pointer)); // ArgumentException

        // A processor that becomes active can still throw inside process.
        var ok = new FakeStream();
        Assert.Equal(TResult.ResultOk, c->SetState(component, ok.Pointer)); // default OnReadState: nothing read

        Vtbl.Release(processor);
        Vtbl.Release(component);

        // Throwing in process -> kInternalError
        void* f2 = PluginExports.CreateFactory(Describe(() => new ProcessThrows()));
        void* comp2 = Create(f2, ProcessorId, Iids.IComponent, out _);
        void* proc2 = Vtbl.QueryInterface(comp2, Iids.IAudioProcessor, out _);
        Vtbl.Of<IComponentVtbl>(comp2)->PluginBase.Initialize(comp2, null);
        Vtbl.Of<IAudioProcessorVtbl>(proc2)->SetupProcessing(proc2, &setup);
        Assert.Equal(TResult.ResultOk, Vtbl.Of<IComponentVtbl>(comp2)->SetActive(comp2, 1));
        ProcessData data = new() { NumSamples = 8 };
        Assert.Equal(TResult.InternalError, Vtbl.Of<IAudioProcessorVtbl>(proc2)->Process(proc2, &data));
        Vtbl.Release(proc2);
        Vtbl.Release(comp2);
        Vtbl.Release(f2);

        // initialize throwing -> error code, object still releasable
        void* comp3 = Create(f, ProcessorId, Iids.IComponent, out _);
        Vtbl.Release(comp3);
        void* f3 = CreateFactory(() => new Throwing { ThrowInBuses = true });
        void* comp4 = Create(f3, ProcessorId, Iids.IComponent, out _);
        Assert.Equal(TResult.InternalError, Vtbl.Of<IComponentVtbl>(comp4)->PluginBase.Initialize(comp4, null));
        Assert.Equal(0u, Vtbl.Release(comp4));

        // controller: OutOfMemoryException in setComponentState -> kOutOfMemory
        void* controller = Create(f, ControllerId, Iids.IEditController, out _);
        var e = Vtbl.Of<IEditControllerVtbl>(controller);
        e->PluginBase.Initialize(controller, null);
        Assert.Equal(TResult.OutOfMemory, e->SetComponentState(controller, new FakeStream([1]).Pointer));
        Vtbl.Release(controller);

        // a class whose constructor throws -> error code and null, never a half-built object
        void* broken = Create(f, BrokenId, Iids.IComponent, out int r);
        Assert.Equal(TResult.InternalError, r);
        Assert.True(broken == null);

        Vtbl.Release(f);
        Vtbl.Release(f3);
    }

    private sealed class ProcessThrows : AudioProcessor
    {
        protected override void ConfigureBuses(BusLayout buses) => buses.AddAudioOutput("Out", SpeakerArrangements.Stereo);
        protected override int OnProcess(ProcessBlock block) => throw new IndexOutOfRangeException();
    }

    private static PluginFactoryDescription Describe(Func<AudioProcessor> create)
    {
        var d = new PluginFactoryDescription("Test");
        d.AddProcessor(ProcessorId, "P", "Fx", ControllerId, create);
        return d;
    }

    [Fact]
    public void Over_release_is_ignored_rather_than_double_freeing()
    {
        var host = new FakeHost();
        Assert.Equal(2u, host.AddRef());
        Assert.Equal(1u, host.Release());
        Assert.Equal(0u, host.Release());
    }
}
