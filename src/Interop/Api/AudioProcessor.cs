using NPlug.Buffers.Interop.Abi;
using BusDirection = NPlug.Buffers.Buses.BusDirection;

namespace NPlug.Buffers.Interop.Api;

/// <summary>
/// Base class of a VST3 audio processor ("Audio Module Class"): buses, arrangements, sample sizes,
/// the processing state machine, <c>process</c> and state. A plugin overrides the <c>On…</c> hooks and
/// <see cref="ConfigureBuses"/>; the public methods are the host-facing entry points (called by the COM
/// layer, or directly by tests) and return VST3 result codes (<see cref="TResult"/>).
/// </summary>
/// <remarks>
/// Threads: everything but <see cref="Process"/> and <see cref="SetProcessing"/> arrives on the host's UI
/// thread. <see cref="OnProcess"/> runs on an audio thread (possibly a different one per call) and must
/// not allocate, lock or throw. <see cref="GetState"/>/<see cref="SetState"/> may arrive while processing
/// runs: hand values to the audio thread with atomics.
/// </remarks>
public abstract class AudioProcessor : PluginComponentBase
{
    private readonly BusLayout _buses = new();

    public bool IsInitialized { get; private set; }
    public bool IsActive { get; private set; }
    public bool IsProcessing { get; private set; }

    /// <summary>The last accepted <c>setupProcessing</c>; meaningful once set up (<see cref="IsSetUp"/>).</summary>
    public ProcessSetupInfo Setup { get; private set; }

    public bool IsSetUp { get; private set; }

    public IReadOnlyList<AudioBus> AudioInputs => _buses.AudioInputs;
    public IReadOnlyList<AudioBus> AudioOutputs => _buses.AudioOutputs;
    public IReadOnlyList<EventBus> EventInputs => _buses.EventInputs;
    public IReadOnlyList<EventBus> EventOutputs => _buses.EventOutputs;

    /// <summary>Processing latency in samples (read by the host after activation).</summary>
    public virtual uint LatencySamples => 0;

    /// <summary>Tail length in samples; <see cref="TailSamples.InfiniteTail"/> for endless tails.</summary>
    public virtual uint TailSamples => Abi.TailSamples.NoTail;

    /// <summary>Which <see cref="ProcessContext"/> fields this processor needs (<see cref="ProcessContextRequirementFlags"/>).</summary>
    public virtual uint ProcessContextRequirements => 0;

    // ---- hooks -------------------------------------------------------------------------------

    /// <summary>Declares the buses. Called on every <see cref="Initialize"/>, with an empty layout.</summary>
    protected abstract void ConfigureBuses(BusLayout buses);

    /// <summary>After the buses are configured; may allocate.</summary>
    protected virtual void OnInitialize() { }

    /// <summary>Release resources; <see cref="Initialize"/> may follow on the same object.</summary>
    protected virtual void OnTerminate() { }

    /// <summary>
    /// Whether the processor supports these arrangements (one per declared audio bus, in order). Default:
    /// only the current ones. Returning true makes them current.
    /// </summary>
    protected virtual bool AcceptsArrangements(ReadOnlySpan<ulong> inputs, ReadOnlySpan<ulong> outputs)
    {
        for (int i = 0; i < inputs.Length; i++) if (inputs[i] != _buses.AudioInputs[i].Arrangement) return false;
        for (int i = 0; i < outputs.Length; i++) if (outputs[i] != _buses.AudioOutputs[i].Arrangement) return false;
        return true;
    }

    /// <summary>Whether <c>process</c> can run at this precision. Default: 32-bit only.</summary>
    public virtual bool CanProcess(SampleSize sampleSize) => sampleSize == SampleSize.Float32;

    /// <summary>Accept or refuse a (valid, supported) setup. Called while inactive; may allocate.</summary>
    protected virtual bool OnSetupProcessing(in ProcessSetupInfo setup) => true;

    /// <summary><c>setActive(true)</c>: allocate per-block resources for <see cref="Setup"/> here.</summary>
    protected virtual void OnActivate() { }

    protected virtual void OnDeactivate() { }

    /// <summary><c>setProcessing(true)</c>: may come on the audio thread — reset only, no allocation.</summary>
    protected virtual void OnStartProcessing() { }

    protected virtual void OnStopProcessing() { }

    /// <summary>
    /// One block. Apply <see cref="ProcessBlock.InputParameterChanges"/> and events first; then, if
    /// <see cref="ProcessBlock.SampleCount"/> &gt; 0, render. Input and output channels may alias (in-place).
    /// Never write into an input buffer that is not also an output. The result goes back to the host
    /// (<see cref="TResult"/>: kResultOk, or e.g. kInvalidArgument for a block the plugin cannot process).
    /// </summary>
    protected abstract int OnProcess(ProcessBlock block);

    /// <summary>Writes the processor state (what <c>IComponent::getState</c> returns; the controller reads it in <c>setComponentState</c>).</summary>
    protected virtual void OnWriteState(Stream stream) { }

    /// <summary>Restores state all or nothing; false refuses truncated or garbage data (kResultFalse), leaving the state as it was.</summary>
    protected virtual bool OnReadState(Stream stream) => true;

    /// <summary><c>IAudioPresentationLatency</c>: how late the host presents this bus's output.</summary>
    protected virtual void OnPresentationLatency(BusDirection direction, int busIndex, uint latencySamples) { }

    // ---- host-facing entry points --------------------------------------------------------------

    public int Initialize()
    {
        if (IsInitialized) return TResult.ResultFalse;
        _buses.Clear();
        ConfigureBuses(_buses);
        foreach (var b in _buses.AudioInputs) b.IsActive = false;
        foreach (var b in _buses.AudioOutputs) b.IsActive = false;
        OnInitialize();
        IsInitialized = true;
        return TResult.ResultOk;
    }

    public int Terminate()
    {
        if (IsProcessing) SetProcessing(false);
        if (IsActive) SetActive(false);
        if (IsInitialized) OnTerminate();
        IsInitialized = false;
        IsSetUp = false;
        return TResult.ResultOk;
    }

    /// <summary>The declared buses of one media type and direction; null for a type or direction VST3 does not define.</summary>
    private IReadOnlyList<Bus>? BusesOf(MediaType type, BusDirection direction) => (type, direction) switch
    {
        (MediaType.Audio, BusDirection.Input) => _buses.AudioInputs,
        (MediaType.Audio, BusDirection.Output) => _buses.AudioOutputs,
        (MediaType.Event, BusDirection.Input) => _buses.EventInputs,
        (MediaType.Event, BusDirection.Output) => _buses.EventOutputs,
        _ => null,
    };

    public int GetBusCount(MediaType type, BusDirection direction) => BusesOf(type, direction)?.Count ?? 0;

    /// <summary>Fills <paramref name="info"/> for one bus; its media type and direction are set even when the answer is kInvalidArgument.</summary>
    public int GetBusInfo(MediaType type, BusDirection direction, int index, out BusInfo info)
    {
        info = default;
        info.MediaType = (int)type;
        info.Direction = (int)direction;
        var list = BusesOf(type, direction);
        if (list is null || (uint)index >= (uint)list.Count) return TResult.InvalidArgument;
        var bus = list[index];
        info.ChannelCount = bus.ChannelCount;
        AbiStrings.Write(ref info.Name, bus.Name);
        info.BusType = (int)bus.Type;
        info.Flags = bus.Flags;
        return TResult.ResultOk;
    }

    public int ActivateBus(MediaType type, BusDirection direction, int index, bool state)
    {
        var list = BusesOf(type, direction);
        if (list is null || (uint)index >= (uint)list.Count) return TResult.InvalidArgument;
        list[index].IsActive = state;
        return TResult.ResultOk;
    }

    public int SetBusArrangements(ReadOnlySpan<ulong> inputs, ReadOnlySpan<ulong> outputs)
    {
        if (IsActive) return TResult.ResultFalse;
        if (inputs.Length != _buses.AudioInputs.Count || outputs.Length != _buses.AudioOutputs.Count) return TResult.ResultFalse;
        if (!AcceptsArrangements(inputs, outputs)) return TResult.ResultFalse;
        for (int i = 0; i < inputs.Length; i++) _buses.AudioInputs[i].Arrangement = inputs[i];
        for (int i = 0; i < outputs.Length; i++) _buses.AudioOutputs[i].Arrangement = outputs[i];
        return TResult.ResultTrue;
    }

    public int GetBusArrangement(BusDirection direction, int index, out ulong arrangement)
    {
        arrangement = 0;
        var list = direction == BusDirection.Input ? _buses.AudioInputs : direction == BusDirection.Output ? _buses.AudioOutputs : null;
        if (list is null || (uint)index >= (uint)list.Count) return TResult.InvalidArgument;
        arrangement = list[index].Arrangement;
        return TResult.ResultOk;
    }

    public int CanProcessSampleSize(int symbolicSampleSize) =>
        symbolicSampleSize is SymbolicSampleSizes.Sample32 or SymbolicSampleSizes.Sample64 && CanProcess((SampleSize)symbolicSampleSize)
            ? TResult.ResultTrue
            : TResult.ResultFalse;

    public int SetupProcessing(in ProcessSetupInfo setup)
    {
        if (IsActive) return TResult.ResultFalse; // only legal while inactive
        if (!setup.IsValid) return TResult.InvalidArgument;
        if (!CanProcess(setup.SampleSize)) return TResult.ResultFalse;
        if (!OnSetupProcessing(setup)) return TResult.ResultFalse;
        Setup = setup;
        IsSetUp = true;
        return TResult.ResultOk;
    }

    public int SetActive(bool state)
    {
        if (state == IsActive) return TResult.ResultOk;
        if (state)
        {
            if (!IsInitialized) return TResult.NotInitialized;
            if (!IsSetUp) return TResult.NotInitialized;
            OnActivate();
            IsActive = true;
        }
        else
        {
            if (IsProcessing) SetProcessing(false);
            IsActive = false;
            OnDeactivate();
        }
        return TResult.ResultOk;
    }

    public int SetProcessing(bool state)
    {
        if (state == IsProcessing) return TResult.ResultOk;
        if (state && !IsActive) return TResult.NotInitialized;
        IsProcessing = state;
        if (state) OnStartProcessing(); else OnStopProcessing();
        return TResult.ResultOk;
    }

    /// <summary>
    /// <c>IAudioProcessor::process</c>: checks the contract (active, sample size as set up, 0 ≤ numSamples ≤ max,
    /// then <see cref="ValidateBlock"/> for blocks with samples) and answers kInvalidArgument/kNotInitialized
    /// (or the validator's code) without touching any buffer otherwise.
    /// </summary>
    public unsafe int Process(ProcessData* data)
    {
        if (data == null) return TResult.InvalidArgument;
        if (!IsActive) return TResult.NotInitialized;
        if (data->SymbolicSampleSize != (int)Setup.SampleSize) return TResult.InvalidArgument;
        if (data->NumSamples < 0 || (data->NumSamples > Setup.MaxSamplesPerBlock && !ProcessesOversizeBlocks)) return TResult.InvalidArgument;
        var block = new ProcessBlock(data);
        if (data->NumSamples > 0)
        {
            int verdict = ValidateBlock(block);
            if (verdict != TResult.ResultOk) return verdict;
        }
        return OnProcess(block);
    }

    /// <summary>
    /// True when the processor handles blocks above <c>maxSamplesPerBlock</c> itself (e.g. in slices); they then reach
    /// <see cref="ValidateBlock"/> and <see cref="OnProcess"/>. Default false: such blocks are refused with kInvalidArgument.
    /// </summary>
    protected virtual bool ProcessesOversizeBlocks => false;

    /// <summary>
    /// Checks a block with samples before <see cref="OnProcess"/>; any result other than kResultOk is
    /// returned to the host and the block is skipped (no buffer touched). Default: accept. Must not allocate.
    /// </summary>
    protected virtual int ValidateBlock(ProcessBlock block) => TResult.ResultOk;

    /// <summary>
    /// True when the host passed no more buses than declared and every bus it passed has 0 channels or
    /// the arrangement's count (hosts may leave out trailing buses). A ready-made <see cref="ValidateBlock"/> rule.
    /// </summary>
    protected bool BusesMatchArrangements(ProcessBlock block)
    {
        if (block.InputBusCount > _buses.AudioInputs.Count || block.OutputBusCount > _buses.AudioOutputs.Count) return false;
        for (int i = 0; i < block.InputBusCount; i++)
        {
            int channels = block.Input(i).ChannelCount;
            if (channels != 0 && channels != _buses.AudioInputs[i].ChannelCount) return false;
        }
        for (int i = 0; i < block.OutputBusCount; i++)
        {
            int channels = block.Output(i).ChannelCount;
            if (channels != 0 && channels != _buses.AudioOutputs[i].ChannelCount) return false;
        }
        return true;
    }

    public int GetState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        OnWriteState(stream);
        return TResult.ResultOk;
    }

    public int SetState(Stream stream) => ReadState(stream, StateKind.Own);

    private protected override bool ReadStateCore(StateKind kind, Stream stream) => OnReadState(stream);

    public int SetPresentationLatency(BusDirection direction, int busIndex, uint latencySamples)
    {
        OnPresentationLatency(direction, busIndex, latencySamples);
        return TResult.ResultOk;
    }
}
