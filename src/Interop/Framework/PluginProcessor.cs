using NPlug.Buffers.Buses;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;
using CoreBusInfo = NPlug.Buffers.Buses.BusInfo;

namespace NPlug.Buffers.Interop.Framework;

/// <summary>
/// The processor of every model-based plugin: it turns the VST3 processing contract into the DSP contract
/// (<see cref="AudioDsp{T}"/>), so each guarantee is written once for all plugins — bus negotiation with the closest
/// supported layout as the suggestion, exact channel-pointer storage, null inputs as silence, null outputs
/// (instruments: internal buffers pointed back into the host's array), in-place detection, blocks above the maximum
/// in slices, flushes that still apply parameters, 32/64-bit dispatch, bypass, silence flags both ways, meters
/// written back to the host, and the versioned all-or-nothing state.
/// </summary>
/// <remarks>
/// Process contract, checked before any buffer is touched: more buses than declared, or an active bus whose channel
/// count is neither its arrangement's nor 0, is refused with kInvalidArgument. Buses the host leaves out, or passes
/// with 0 channels, count as absent: an absent input is silence, an absent output gets nothing written. Inactive
/// buses are ignored whatever they hold. <c>numSamples == 0</c> is a flush: parameter changes reach the store (and the
/// DSP at the next rendered block, as offset-0 points), notes reach the DSP in a 0-frame block.
/// </remarks>
public sealed class PluginProcessor : AudioProcessor
{
    private readonly StateBuffer _state;
    private readonly ParameterBuffer _parameters;
    private ProcessorCore<float>? _core32;
    private ProcessorCore<double>? _core64;
    private bool _applyingSuggestion;
    // The audio buses as arrays while active (ValidateBlock runs per block; the lists are interfaces).
    private AudioBus[] _activeInputs = [];
    private AudioBus[] _activeOutputs = [];

    public PluginProcessor(AudioPluginModel model)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Store = new ParameterStore(model.Parameters);
        _state = new StateBuffer(model.Parameters, model.StateTag, model.CreateStateSection());
        _parameters = new ParameterBuffer(Store, model.MaxPointsPerParameter);
    }

    public AudioPluginModel Model { get; }

    /// <summary>Where 32-bit block scratch comes from: the module's shared pool unless a test or host gives its own.</summary>
    public NPlug.Buffers.Pools.ScratchPool<float> ScratchPool32 { get; init; } = NPlug.Buffers.Pools.ScratchPool<float>.Shared;

    /// <summary>Where 64-bit block scratch comes from.</summary>
    public NPlug.Buffers.Pools.ScratchPool<double> ScratchPool64 { get; init; } = NPlug.Buffers.Pools.ScratchPool<double>.Shared;

    /// <summary>This instance's scratch registration while active (statistics: misses, leases); null otherwise.</summary>
    public object? ScratchRegistration => (object?)_core32?.Scratch ?? _core64?.Scratch;

    /// <summary>The current normalized values, shared by the host threads and the audio thread.</summary>
    public ParameterStore Store { get; }

    /// <summary>The DSP of the active precision (tests and tools; null while inactive).</summary>
    public object? Dsp => (object?)_core32?.Dsp ?? _core64?.Dsp;

    /// <summary>Automation points dropped because a queue exceeded <see cref="AudioPluginModel.MaxPointsPerParameter"/>.</summary>
    public long DroppedPoints => _parameters.DroppedPoints;

    public override uint LatencySamples => Model.GetLatencySamples(IsSetUp ? Setup.SampleRate : 0);

    public override uint TailSamples => Model.GetTailSamples(IsSetUp ? Setup.SampleRate : 0);

    public override bool CanProcess(SampleSize sampleSize) => sampleSize is SampleSize.Float32 or SampleSize.Float64;

    protected override bool ProcessesOversizeBlocks => true;

    protected override void ConfigureBuses(BusLayout buses)
    {
        foreach (var bus in Model.AudioInputs) buses.AddAudioInput(bus.Name, bus.DefaultArrangement.Speakers, bus.Type, bus.DefaultActive);
        foreach (var bus in Model.AudioOutputs) buses.AddAudioOutput(bus.Name, bus.DefaultArrangement.Speakers, bus.Type, bus.DefaultActive);
        foreach (var bus in Model.EventInputs) buses.AddEventInput(bus.Name, bus.Channels);
    }

    /// <summary>
    /// Accepts what the model supports. On a refusal the buses switch to the model's suggestion before kResultFalse goes
    /// back, so a host that reads getBusArrangement after a refusal — as hosts and the validator do — finds it there.
    /// </summary>
    protected override bool AcceptsArrangements(ReadOnlySpan<ulong> inputs, ReadOnlySpan<ulong> outputs)
    {
        Span<SpeakerArrangement> requestIn = stackalloc SpeakerArrangement[inputs.Length];
        Span<SpeakerArrangement> requestOut = stackalloc SpeakerArrangement[outputs.Length];
        for (int i = 0; i < inputs.Length; i++) requestIn[i] = new SpeakerArrangement(inputs[i]);
        for (int i = 0; i < outputs.Length; i++) requestOut[i] = new SpeakerArrangement(outputs[i]);
        Span<SpeakerArrangement> chosenIn = stackalloc SpeakerArrangement[inputs.Length];
        Span<SpeakerArrangement> chosenOut = stackalloc SpeakerArrangement[outputs.Length];
        bool accepted = Model.NegotiateArrangements(requestIn, requestOut, chosenIn, chosenOut);
        if (!accepted && !_applyingSuggestion && !chosenIn.Contains(SpeakerArrangement.Empty) && !chosenOut.Contains(SpeakerArrangement.Empty))
        {
            Span<ulong> suggestIn = stackalloc ulong[inputs.Length];
            Span<ulong> suggestOut = stackalloc ulong[outputs.Length];
            for (int i = 0; i < inputs.Length; i++) suggestIn[i] = chosenIn[i].Speakers;
            for (int i = 0; i < outputs.Length; i++) suggestOut[i] = chosenOut[i].Speakers;
            _applyingSuggestion = true;
            try { SetBusArrangements(suggestIn, suggestOut); }
            finally { _applyingSuggestion = false; }
        }
        return accepted;
    }

    protected override void OnActivate()
    {
        DisposeCores();
        _activeInputs = [.. AudioInputs];
        _activeOutputs = [.. AudioOutputs];
        var configuration = CurrentConfiguration();
        _parameters.Reset();
        if (Setup.SampleSize == SampleSize.Float64)
            _core64 = new ProcessorCore<double>(this, configuration);
        else
            _core32 = new ProcessorCore<float>(this, configuration);
    }

    protected override void OnDeactivate() => DisposeCores();

    protected override void OnTerminate() => DisposeCores();

    protected override void OnStartProcessing()
    {
        _core32?.Reset();
        _core64?.Reset();
    }

    private void DisposeCores()
    {
        _core32?.Dispose();
        _core64?.Dispose();
        _core32 = null;
        _core64 = null;
    }

    protected override int OnProcess(ProcessBlock block) => block.SampleSize == SampleSize.Float64
        ? _core64?.Run(block) ?? TResult.NotInitialized
        : _core32?.Run(block) ?? TResult.NotInitialized;

    protected override void OnWriteState(Stream stream) => _state.Write(stream, Store);

    protected override bool OnReadState(Stream stream) => _state.TryLoad(stream, Store);

    internal ParameterBuffer Parameters => _parameters;

    /// <summary>The current buses in the storage's format-free terms.</summary>
    private BusConfiguration CurrentConfiguration()
    {
        var inputs = new CoreBusInfo[AudioInputs.Count];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = ToCore(AudioInputs[i]);
        var outputs = new CoreBusInfo[AudioOutputs.Count];
        for (int i = 0; i < outputs.Length; i++) outputs[i] = ToCore(AudioOutputs[i]);
        return new BusConfiguration(inputs, outputs);
    }

    private static CoreBusInfo ToCore(AudioBus bus) =>
        new(bus.Name, bus.Type == BusType.Main ? BusKind.Main : BusKind.Aux, bus.ChannelCount, bus.IsActive);

    /// <summary>The bus half of the contract for a block with samples (see the class remarks).</summary>
    protected override int ValidateBlock(ProcessBlock block)
    {
        var inputs = _activeInputs;
        var outputs = _activeOutputs;
        if (block.InputBusCount > inputs.Length || block.OutputBusCount > outputs.Length) return TResult.InvalidArgument;
        for (int i = 0; i < block.InputBusCount; i++)
            if (!CheckBus(inputs[i], block.Input(i).ChannelCount)) return TResult.InvalidArgument;
        for (int i = 0; i < block.OutputBusCount; i++)
            if (!CheckBus(outputs[i], block.Output(i).ChannelCount)) return TResult.InvalidArgument;
        return TResult.ResultOk;
    }

    private static bool CheckBus(AudioBus declared, int channels) =>
        !declared.IsActive || channels == 0 || channels == declared.ChannelCount;

    /// <summary>Silence-flag mask with one bit per channel.</summary>
    internal static ulong ChannelMask(int channels) => channels >= 64 ? ulong.MaxValue : channels <= 0 ? 0 : (1UL << channels) - 1;
}
