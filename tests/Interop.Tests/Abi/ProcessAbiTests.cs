using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Interop.Bridge;
using NPlug.Buffers.TestPlugin;

namespace NPlug.Buffers.Tests.Abi;

/// <summary>
/// The test plugin's process path through IAudioProcessor::process, with host-owned native buffers.
/// Expected outputs come from the analytic gain 10^(dB/20), dB = -60 + 72·normalized.
/// </summary>
public sealed unsafe class ProcessAbiTests : IDisposable
{
    private const int Max = 512;
    private readonly void* _factory;
    private readonly void* _component;
    private readonly void* _processor;
    private readonly IComponentVtbl* _c;
    private readonly IAudioProcessorVtbl* _p;
    private readonly void* _memory;
    private readonly AudioBusBuffers* _in;
    private readonly AudioBusBuffers* _out;
    private readonly ProcessData* _data;

    public ProcessAbiTests()
    {
        _factory = PluginExports.CreateFactory(TestGain.CreateDescription());
        Tuid cid = Tuid.FromGuid(Guid.Parse(TestGain.ProcessorClassId));
        void* obj;
        Assert.Equal(TResult.ResultOk, Vtbl.Of<IPluginFactoryVtbl>(_factory)->CreateInstance(_factory, &cid, Iids.IComponent.Pointer, &obj));
        _component = obj;
        _processor = Vtbl.QueryInterface(_component, Iids.IAudioProcessor, out _);
        _c = Vtbl.Of<IComponentVtbl>(_component);
        _p = Vtbl.Of<IAudioProcessorVtbl>(_processor);
        Assert.Equal(TResult.ResultOk, _c->PluginBase.Initialize(_component, null));

        // One native block: 2 input + 2 output channels of doubles (also used as floats), pointer arrays, buses, data.
        _memory = NativeMemory.AllocZeroed((nuint)(4 * Max * sizeof(double) + 4 * sizeof(void*) + 2 * sizeof(AudioBusBuffers) + sizeof(ProcessData)));
        byte* m = (byte*)_memory;
        void** ptrs = (void**)(m + 4 * Max * sizeof(double));
        for (int i = 0; i < 4; i++) ptrs[i] = m + i * Max * sizeof(double);
        _in = (AudioBusBuffers*)(ptrs + 4);
        _out = _in + 1;
        _data = (ProcessData*)(_out + 1);
        _in->NumChannels = 2;
        _in->ChannelBuffers32 = (float**)ptrs;
        _out->NumChannels = 2;
        _out->ChannelBuffers32 = (float**)(ptrs + 2);
        _data->NumInputs = 1;
        _data->NumOutputs = 1;
        _data->Inputs = _in;
        _data->Outputs = _out;
    }

    public void Dispose()
    {
        Vtbl.Release(_processor);
        Vtbl.Release(_component);
        Vtbl.Release(_factory);
        NativeMemory.Free(_memory);
    }

    private void Start(int sampleSize)
    {
        ProcessSetup setup = new() { ProcessMode = ProcessModes.Realtime, SymbolicSampleSize = sampleSize, MaxSamplesPerBlock = Max, SampleRate = 48000 };
        Assert.Equal(TResult.ResultOk, _p->SetupProcessing(_processor, &setup));
        Assert.Equal(TResult.ResultOk, _c->ActivateBus(_component, MediaTypes.Audio, BusDirections.Input, 0, 1));
        Assert.Equal(TResult.ResultOk, _c->ActivateBus(_component, MediaTypes.Audio, BusDirections.Output, 0, 1));
        Assert.Equal(TResult.ResultOk, _c->SetActive(_component, 1));
        Assert.Equal(TResult.ResultOk, _p->SetProcessing(_processor, 1));
        _data->SymbolicSampleSize = sampleSize;
    }

    private static double Gain(double normalized) => Math.Pow(10, (-60 + 72 * normalized) / 20);

    private float* In32(int ch) => _in->ChannelBuffers32[ch];
    private float* Out32(int ch) => _out->ChannelBuffers32[ch];
    private double* In64(int ch) => _in->ChannelBuffers64[ch];
    private double* Out64(int ch) => _out->ChannelBuffers64[ch];

    [Fact]
    public void Gain_32_bit_with_automation_last_point()
    {
        Start(SymbolicSampleSizes.Sample32);
        for (int i = 0; i < 100; i++) { In32(0)[i] = MathF.Sin(i * 0.05f); In32(1)[i] = 0.25f; }
        var changes = new FakeParameterChanges(new FakeQueue(TestGain.GainId, (0, 0.1), (50, 0.5)), new FakeQueue(77, (0, 1.0)));
        _data->InputParameterChanges = changes.Pointer;
        _data->NumSamples = 100;
        Assert.Equal(TResult.ResultOk, _p->Process(_processor, _data));
        double g = Gain(0.5);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(MathF.Sin(i * 0.05f) * g, Out32(0)[i], 1e-6);
            Assert.Equal(0.25 * g, Out32(1)[i], 1e-6);
        }
        Assert.Equal(0ul, _out->SilenceFlags);
    }

    [Fact]
    public void Gain_64_bit_and_silence_flags()
    {
        Start(SymbolicSampleSizes.Sample64);
        for (int i = 0; i < 64; i++) { In64(0)[i] = i; In64(1)[i] = 99; Out64(1)[i] = 5; }
        _in->SilenceFlags = 0b10; // channel 1 declared silent
        _data->NumSamples = 64;
        Assert.Equal(TResult.ResultOk, _p->Process(_processor, _data));
        double g = Gain(60.0 / 72.0); // default 0 dB
        Assert.Equal(1.0, g, 12);
        for (int i = 0; i < 64; i++)
        {
            Assert.Equal(i * g, Out64(0)[i], 12);
            Assert.Equal(0.0, Out64(1)[i]); // zeroed before its flag is set
        }
        Assert.Equal(0b10ul, _out->SilenceFlags);
    }

    [Fact]
    public void In_place_buffers_are_scaled_once()
    {
        Start(SymbolicSampleSizes.Sample32);
        var saved = _out->ChannelBuffers32;
        _out->ChannelBuffers32 = _in->ChannelBuffers32; // same pointers in and out
        var changes = new FakeParameterChanges(new FakeQueue(TestGain.GainId, (0, 0.75)));
        _data->InputParameterChanges = changes.Pointer;
        for (int i = 0; i < 32; i++) { In32(0)[i] = 1; In32(1)[i] = -2; }
        _data->NumSamples = 32;
        Assert.Equal(TResult.ResultOk, _p->Process(_processor, _data));
        double g = Gain(0.75);
        for (int i = 0; i < 32; i++)
        {
            Assert.Equal(g, In32(0)[i], 1e-5);
            Assert.Equal(-2 * g, In32(1)[i], 1e-5);
        }
        _out->ChannelBuffers32 = saved;
    }

    [Fact]
    public void Flushes_hostile_blocks_and_contract_violations()
    {
        Start(SymbolicSampleSizes.Sample32);
        // Flush 1: no buffers, a queue with no points.
        ProcessData flush = new() { SymbolicSampleSize = SymbolicSampleSizes.Sample32 };
        var empty = new FakeParameterChanges(new FakeQueue(TestGain.GainId));
        flush.InputParameterChanges = empty.Pointer;
        Assert.Equal(TResult.ResultOk, _p->Process(_processor, &flush));
        // Flush 3: no buffers, no parameter changes at all.
        flush.InputParameterChanges = null;
        Assert.Equal(TResult.ResultOk, _p->Process(_processor, &flush));
        // Flush 2: buffers present, counts 0, bus channel count 0.
        _in->NumChannels = 0;
        _out->NumChannels = 0;
        _data->NumInputs = _data->NumOutputs = 0;
        _data->NumSamples = 0;
        Assert.Equal(TResult.ResultOk, _p->Process(_processor, _data));
        _in->NumChannels = _out->NumChannels = 2;
        _data->NumInputs = _data->NumOutputs = 1;

        // Null channel pointers: output channel 1 missing, input channel 0 missing.
        var outPtrs = _out->ChannelBuffers32;
        float* keepOut1 = outPtrs[1];
        float* keepIn0 = _in->ChannelBuffers32[0];
        outPtrs[1] = null;
        _in->ChannelBuffers32[0] = null;
        for (int i = 0; i < 16; i++) Out32(0)[i] = 7;
        _data->NumSamples = 16;
        Assert.Equal(TResult.ResultOk, _p->Process(_processor, _data));
        for (int i = 0; i < 16; i++) Assert.Equal(0f, Out32(0)[i]); // no input -> silence, flagged
        Assert.Equal(1ul, _out->SilenceFlags & 1);
        outPtrs[1] = keepOut1;
        _in->ChannelBuffers32[0] = keepIn0;

        // Oversize and negative blocks are refused without touching buffers.
        for (int i = 0; i < Max; i++) Out32(0)[i] = 3;
        _data->NumSamples = Max + 1;
        Assert.Equal(TResult.InvalidArgument, _p->Process(_processor, _data));
        _data->NumSamples = -50000;
        Assert.Equal(TResult.InvalidArgument, _p->Process(_processor, _data));
        Assert.Equal(3f, Out32(0)[0]);
        // Channel or bus counts that contradict the arrangement are refused too.
        _data->NumSamples = 8;
        _out->NumChannels = 3;
        Assert.Equal(TResult.InvalidArgument, _p->Process(_processor, _data));
        _out->NumChannels = 2;
        _data->NumOutputs = 2;
        Assert.Equal(TResult.InvalidArgument, _p->Process(_processor, _data));
        _data->NumOutputs = 1;
        Assert.Equal(3f, Out32(0)[0]);
        // Fewer buses than declared (a trailing bus the host does not feed) is fine.
        _data->NumInputs = 0;
        Assert.Equal(TResult.ResultOk, _p->Process(_processor, _data));
        _data->NumInputs = 1;
        // Wrong precision.
        _data->NumSamples = 8;
        _data->SymbolicSampleSize = SymbolicSampleSizes.Sample64;
        Assert.Equal(TResult.InvalidArgument, _p->Process(_processor, _data));
        Assert.Equal(TResult.InvalidArgument, _p->Process(_processor, null));
    }

    [Fact]
    public void Process_path_does_not_allocate()
    {
        Start(SymbolicSampleSizes.Sample32);
        var changes = new FakeParameterChanges(new FakeQueue(TestGain.GainId, (0, 0.3), (10, 0.6)));
        _data->InputParameterChanges = changes.Pointer;
        _data->NumSamples = 256;
        Assert.Equal(TResult.ResultOk, _p->Process(_processor, _data)); // warm-up
        long before = GC.GetAllocatedBytesForCurrentThread();
        int failures = 0;
        for (int i = 0; i < 5000; i++)
        {
            _data->NumSamples = i % 2 == 0 ? 256 : 0;
            if (_p->Process(_processor, _data) != TResult.ResultOk) failures++;
        }
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, failures);
        Assert.Equal(before, after);
    }

    [Fact]
    public void Setup_and_state_machine_rules()
    {
        ProcessSetup bad = new() { SymbolicSampleSize = 7, MaxSamplesPerBlock = 64, SampleRate = 44100 };
        Assert.Equal(TResult.InvalidArgument, _p->SetupProcessing(_processor, &bad));
        bad.SymbolicSampleSize = 0; bad.SampleRate = double.NaN;
        Assert.Equal(TResult.InvalidArgument, _p->SetupProcessing(_processor, &bad));
        Assert.Equal(TResult.InvalidArgument, _p->SetupProcessing(_processor, null));
        Assert.Equal(TResult.NotInitialized, _c->SetActive(_component, 1)); // no setup yet
        Assert.Equal(TResult.ResultTrue, _p->CanProcessSampleSize(_processor, SymbolicSampleSizes.Sample64));
        Assert.Equal(TResult.ResultFalse, _p->CanProcessSampleSize(_processor, 5));

        ulong mono = SpeakerArrangements.Mono, stereo = SpeakerArrangements.Stereo, k51 = SpeakerArrangements.K51;
        Assert.Equal(TResult.ResultTrue, _p->SetBusArrangements(_processor, &mono, 1, &mono, 1));
        ulong got = 0;
        Assert.Equal(TResult.ResultOk, _p->GetBusArrangement(_processor, BusDirections.Output, 0, &got));
        Assert.Equal(mono, got);
        BusInfo bus;
        Assert.Equal(TResult.ResultOk, _c->GetBusInfo(_component, MediaTypes.Audio, BusDirections.Output, 0, &bus));
        Assert.Equal(1, bus.ChannelCount);
        Assert.Equal(TResult.ResultFalse, _p->SetBusArrangements(_processor, &k51, 1, &k51, 1));
        Assert.Equal(TResult.ResultFalse, _p->SetBusArrangements(_processor, &stereo, 1, &mono, 1));
        Assert.Equal(TResult.InvalidArgument, _p->SetBusArrangements(_processor, null, 1, &mono, 1));
        Assert.Equal(TResult.InvalidArgument, _p->GetBusArrangement(_processor, BusDirections.Output, 1, &got));
        Assert.Equal(TResult.InvalidArgument, _c->GetBusInfo(_component, MediaTypes.Audio, 5, 0, &bus));
        Assert.Equal(0, _c->GetBusCount(_component, MediaTypes.Event, BusDirections.Input));
        Assert.Equal(0, _c->GetBusCount(_component, 9, BusDirections.Input));

        // terminate/initialize on the same object rebuilds the buses (validator state-transition test)
        Assert.Equal(TResult.ResultOk, _c->PluginBase.Terminate(_component));
        Assert.Equal(TResult.ResultOk, _c->PluginBase.Initialize(_component, null));
        Assert.Equal(TResult.ResultOk, _c->GetBusInfo(_component, MediaTypes.Audio, BusDirections.Output, 0, &bus));
        Assert.Equal(2, bus.ChannelCount);
        Assert.Equal("Stereo Out", AbiStrings.Read(in bus.Name));
        Assert.Equal(BusFlags.DefaultActive, bus.Flags);

        void* req = Vtbl.QueryInterface(_component, Iids.IProcessContextRequirements, out _);
        Assert.Equal(0u, Vtbl.Of<IProcessContextRequirementsVtbl>(req)->GetProcessContextRequirements(req));
        Vtbl.Release(req);
    }
}
