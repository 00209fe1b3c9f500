using System.Numerics;
using NPlug.Buffers.Buses;
using NPlug.Buffers.Dsp;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Pools;
using NPlug.Buffers.Storage;
using CoreBusDirection = NPlug.Buffers.Buses.BusDirection;

namespace NPlug.Buffers.Interop.Framework;

/// <summary>
/// Everything one activation of a <see cref="PluginProcessor"/> needs at one precision, allocated at activation:
/// channel-pointer storage sized from the bus configuration, slice tables, the DSP, the block state and the bypass
/// fade. <see cref="Run"/> is the audio path: no allocation, locks or exceptions.
/// </summary>
internal sealed unsafe class ProcessorCore<T> : IDisposable where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly PluginProcessor _owner;
    private readonly AudioPluginModel _model;
    private readonly ProcessBufferStorage<T> _storage;
    private readonly ChannelOffsetTable<T> _inputSlices;
    private readonly ChannelOffsetTable<T> _outputSlices;
    private readonly BlockState<T> _state;
    private readonly ParameterBuffer _parameters;
    private readonly NoteEvent[] _hostEvents;
    private readonly BypassFader<T>? _bypass;
    private readonly int _maxFrames;
    private readonly double _sampleRate;
    private readonly ProcessMode _mode;
    private readonly ScratchRegistration<T>? _scratch;
    private readonly int _dspScratchChannels;
    private readonly int _dspSplitsOwnBlocks; // > 0: the DSP takes a short scratch whole (at least this many frames)
    private readonly ulong _activeInputs;
    // The processor's audio buses and their channel counts, taken at activation (arrangements cannot change while
    // active; activity is still read per block, a host may toggle a bus while active).
    private readonly AudioBus[] _inputBuses;
    private readonly AudioBus[] _outputBuses;
    private readonly int[] _inputChannels;
    private readonly int[] _outputChannels;
    // Channels the storage holds per bus (0 for a bus inactive at activation: it stays uncollected).
    private readonly int[] _inputCapacity;
    private readonly int[] _outputCapacity;
    private readonly bool _isInstrument;
    private readonly bool _readsEvents;
    // Per parameter, the plain meter value last sent to the host (NaN: none since processing started or the last
    // state load); a meter goes out again only when its value changes.
    private readonly double[] _sentMeters;
    private int _meterGeneration;

    public ProcessorCore(PluginProcessor owner, BusConfiguration configuration)
    {
        _owner = owner;
        _model = owner.Model;
        _parameters = owner.Parameters;
        _maxFrames = owner.Setup.MaxSamplesPerBlock;
        _sampleRate = owner.Setup.SampleRate;
        _mode = owner.Setup.Mode;
        _storage = new ProcessBufferStorage<T>(configuration, _maxFrames, shareSilence: true);
        _inputBuses = [.. owner.AudioInputs];
        _outputBuses = [.. owner.AudioOutputs];
        _inputChannels = new int[_inputBuses.Length];
        for (int b = 0; b < _inputBuses.Length; b++) _inputChannels[b] = _inputBuses[b].ChannelCount;
        _outputChannels = new int[_outputBuses.Length];
        for (int b = 0; b < _outputBuses.Length; b++) _outputChannels[b] = _outputBuses[b].ChannelCount;
        _isInstrument = _model.IsInstrument;
        // Only a model with an event input receives notes (an effect's event list is not read).
        _readsEvents = _model.EventInputs.Count > 0;

        Span<int> inputs = stackalloc int[configuration.InputBusCount];
        for (int b = 0; b < inputs.Length; b++) inputs[b] = configuration.Inputs[b].ActiveChannelCount;
        Span<int> outputs = stackalloc int[configuration.OutputBusCount];
        for (int b = 0; b < outputs.Length; b++) outputs[b] = configuration.Outputs[b].ActiveChannelCount;
        _inputCapacity = inputs.ToArray();
        _outputCapacity = outputs.ToArray();
        _inputSlices = new ChannelOffsetTable<T>(inputs);
        _outputSlices = new ChannelOffsetTable<T>(outputs);
        // An effect without an event input gets no event storage.
        int maxEvents = _model.EventInputs.Count > 0 ? _model.MaxEventsPerBlock : 1;
        _state = new BlockState<T>(_storage, _parameters, inputs.Length, outputs.Length, maxEvents);
        _sentMeters = new double[_parameters.Store.Count];
        Array.Fill(_sentMeters, double.NaN);
        _meterGeneration = _parameters.Store.Generation;
        _hostEvents = new NoteEvent[maxEvents];

        int dryChannels = 0;
        if (_model.BypassParameter is not null && _model.BypassMode == BypassHandling.Framework && outputs.Length > 0)
        {
            dryChannels = _model.IsInstrument || inputs.Length == 0 ? 0 : inputs[0];
            _bypass = new BypassFader<T>(_model.BypassFadeSeconds * _sampleRate, dryChannels);
        }

        Span<int> declaredIn = stackalloc int[inputs.Length];
        Span<int> declaredOut = stackalloc int[outputs.Length];
        ulong activeIn = 0, activeOut = 0;
        for (int b = 0; b < inputs.Length; b++) { declaredIn[b] = configuration.Inputs[b].ChannelCount; if (configuration.Inputs[b].IsActive) activeIn |= 1UL << b; }
        for (int b = 0; b < outputs.Length; b++) { declaredOut[b] = configuration.Outputs[b].ChannelCount; if (configuration.Outputs[b].IsActive) activeOut |= 1UL << b; }
        Dsp = _model.CreateDsp<T>();
        var request = new ScratchRequest();
        Dsp.Prepare(new DspSetup(_sampleRate, _maxFrames, _mode, declaredIn, declaredOut, activeIn, activeOut, owner.Store, request));
        // One registration per instance covers the DSP's scratch and the bypass fade's dry copy; the pool reserves for
        // the instances that process at the same time, not for every instance (see ScratchPool).
        _dspScratchChannels = request.Channels;
        _dspSplitsOwnBlocks = request.MinFrames;
        _activeInputs = activeIn;
        int scratchChannels = request.Channels + dryChannels;
        if (scratchChannels > 0)
        {
            var pool = typeof(T) == typeof(float) ? (ScratchPool<T>)(object)owner.ScratchPool32 : (ScratchPool<T>)(object)owner.ScratchPool64;
            _scratch = pool.Register(scratchChannels, _maxFrames, name: _model.Name);
        }
    }

    public AudioDsp<T> Dsp { get; }

    public ScratchRegistration<T>? Scratch => _scratch;

    public void Reset()
    {
        Dsp.Reset();
        _bypass?.Reset();
        Array.Fill(_sentMeters, double.NaN);
    }

    public int Run(ProcessBlock block)
    {
        int frames = block.SampleCount;
        _parameters.ReadHostBlock(block.InputParameterChanges, frames);
        int eventCount = _readsEvents ? ReadEvents(block.InputEvents, frames) : 0;
        UpdateBypassTarget();

        bool hasMainOutput = frames > 0 && _outputBuses.Length > 0 && _outputBuses[0].IsActive && block.Output(0).ChannelCount > 0;
        if (!hasMainOutput)
        {
            // A flush, or a block without output buffers: parameters wait for the next rendered block, notes still
            // start and stop (the DSP sees them in a block of 0 frames).
            _parameters.DeferHostPoints();
            return eventCount > 0 ? RunEventsOnly(eventCount) : TResult.ResultOk;
        }

        // No lease when nobody will touch scratch this block: the DSP says so, and the bypass fade is at rest.
        if (_scratch is null || (!(_bypass?.IsActive ?? false) && (_dspScratchChannels == 0 || !Dsp.NeedsScratch(new ScratchQuery(_parameters, _activeInputs)))))
        {
            // No lease (passed by reference like a real one: the struct is copied nowhere on this path).
            ScratchLease<T> none = default;
            return RunRendered(block, frames, eventCount, in none);
        }
        // Scratch for this block from the module pool (returned before process returns). When the pool is short the
        // lease comes from this instance's small fallback and the block is rendered in shorter passes.
        var lease = _scratch.Rent(_scratch.Channels, Math.Min(frames, _maxFrames));
        if (!lease.IsValid) return TResult.InternalError; // only a framework bug gets here: the one slot is free
        int result = RunRendered(block, frames, eventCount, in lease);
        lease.Dispose();
        return result;
    }

    private int RunRendered(ProcessBlock block, int frames, int eventCount, in ScratchLease<T> lease)
    {
        var mainOutput = block.Output(0);
        // A block above maxSamplesPerBlock is processed in slices of at most the maximum, each collected once; a slice
        // is rendered in passes of at most the scratch lease's frames (the whole slice unless the pool was short).
        bool sliced = frames > _maxFrames;
        int passFrames = lease.IsValid && !SplitsOwnBlocks(lease) ? lease.Frames : _maxFrames;
        ulong silent = ulong.MaxValue;
        double peak = 0;
        int nextEvent = 0;
        for (int start = 0; start < frames; start += _maxFrames)
        {
            int length = Math.Min(_maxFrames, frames - start);
            int r = Collect(block, start, length, sliced);
            if (r != TResult.ResultOk) return r;
            for (int pass = 0; pass < length; pass += passFrames)
            {
                int passLength = Math.Min(passFrames, length - pass);
                int at = start + pass;
                _parameters.BuildSlice(at, passLength);
                // The last pass takes late events too (offsets at the very end of the block).
                int end = at + passLength == frames ? int.MaxValue : at + passLength;
                _state.EventCount = eventCount == 0 ? 0 : SliceEvents(eventCount, ref nextEvent, at, end);
                _state.SetPass(pass, passLength, in lease, _dspScratchChannels);

                _bypass?.CaptureDry(_state.InputView(0), passLength, lease, _dspScratchChannels);
                DspResult result = Dsp.Process(new ProcessContext<T>(_state));
                if (result != DspResult.Ok) return ToTResult(result);

                // The output view only when the fade or the peak needs it (a DSP that reports its peak saves both).
                bool faded = _bypass is not null && _bypass.Apply(_state.OutputView(0), passLength);
                double passPeak = !faded && !double.IsNaN(_state.ReportedPeak) ? _state.ReportedPeak : Peak(_state.OutputView(0));
                peak = Math.Max(peak, passPeak);
                // Only an output that is exactly zero is flagged; the buffer then already holds the zeros the flag promises.
                if (passPeak != 0) silent = 0;
            }
        }

        mainOutput.SilenceFlags = silent & PluginProcessor.ChannelMask(mainOutput.ChannelCount);
        for (int b = 1; b < block.OutputBusCount; b++) block.Output(b).SilenceFlags = 0;
        WriteMeters(block, peak);
        return TResult.ResultOk;
    }

    /// <summary>
    /// A DSP that splits blocks itself gets the whole slice with a short lease, unless the framework's own bypass fade
    /// needs the dry copy for the whole pass, or the lease is shorter than the DSP can work with.
    /// </summary>
    private bool SplitsOwnBlocks(ScratchLease<T> lease) =>
        _dspSplitsOwnBlocks > 0 && _bypass is null && lease.Frames >= _dspSplitsOwnBlocks;

    private int RunEventsOnly(int eventCount)
    {
        _parameters.ClearSlice();
        int next = 0;
        _state.EventCount = SliceEvents(eventCount, ref next, 0, int.MaxValue);
        for (int i = 0; i < _state.EventCount; i++) _state.EventStorage[i] = _state.EventStorage[i] with { Offset = 0 };
        _storage.Clear();
        _state.ClearViews();
        ScratchLease<T> none = default;
        _state.SetPass(0, 0, in none, 0);
        DspResult result = Dsp.Process(new ProcessContext<T>(_state));
        return result == DspResult.Ok ? TResult.ResultOk : ToTResult(result);
    }

    /// <summary>
    /// Collects the slice [start, start + length) of every active bus: a bus the host passes whole (every channel,
    /// none null) at the block's start is viewed through the host's own channel array; any other goes through the
    /// storage (substitutes for null channels, offsets for later slices).
    /// </summary>
    private int Collect(ProcessBlock block, int start, int length, bool sliced)
    {
        _storage.Clear();
        var inputs = _inputBuses;
        for (int b = 0; b < inputs.Length; b++)
        {
            if (!inputs[b].IsActive) { _state.SetView(CoreBusDirection.Input, b, null, 0, 0); continue; }
            // A bus the host left out reads as silence (the storage's zeroed scratch).
            var bus = block.Input(b);
            int channels = Math.Min(bus.ChannelCount, _inputChannels[b]);
            T** host = HostChannels<T>.Of(bus);
            if (start == 0 && channels == _inputCapacity[b] && channels > 0 && NoneNull(host, channels))
            {
                _state.SetView(CoreBusDirection.Input, b, host, channels, length);
                continue;
            }
            T** pointers = _inputSlices.Offset(b, host, channels, start);
            if (_storage.CollectInput(b, pointers, channels, length) is not (CollectResult.Ok or CollectResult.InactiveBus))
                return TResult.InvalidArgument;
            _state.TakeView(CoreBusDirection.Input, b);
        }
        _state.InputSilent = IsSilent(block, inputs);

        var outputs = _outputBuses;
        for (int b = 0; b < outputs.Length; b++)
        {
            if (!outputs[b].IsActive) { _state.SetView(CoreBusDirection.Output, b, null, 0, 0); continue; }
            var bus = block.Output(b);
            int channels = Math.Min(bus.ChannelCount, _outputChannels[b]);
            T** host = HostChannels<T>.Of(bus);
            if (start == 0 && channels == _outputCapacity[b] && channels > 0 && NoneNull(host, channels))
            {
                _state.SetView(CoreBusDirection.Output, b, host, channels, length);
                continue;
            }
            T** pointers = _outputSlices.Offset(b, host, channels, start);
            // An instrument's null outputs get internal buffers; pointed back into the host's array when it can read
            // them there (not for a sliced block: those buffers hold one slice only).
            var options = _isInstrument && host != null && !sliced ? CollectOptions.WriteBackSubstitutes : CollectOptions.None;
            if (_storage.CollectOutput(b, pointers, channels, length, options) is not (CollectResult.Ok or CollectResult.InactiveBus))
                return TResult.InvalidArgument;
            _state.TakeView(CoreBusDirection.Output, b);
        }
        _state.SampleRate = _sampleRate;
        _state.Mode = _mode;
        return TResult.ResultOk;
    }

    private static bool NoneNull(T** channels, int count)
    {
        if (channels == null) return false;
        for (int c = 0; c < count; c++)
            if (channels[c] == null) return false;
        return true;
    }

    private static bool IsSilent(ProcessBlock block, AudioBus[] inputs)
    {
        if (inputs.Length == 0 || !inputs[0].IsActive) return false;
        var input = block.Input(0);
        ulong mask = PluginProcessor.ChannelMask(input.ChannelCount);
        return input.ChannelCount > 0 && (input.SilenceFlags & mask) == mask;
    }

    /// <summary>Copies the host's note events (bus 0, note on/off) with offsets clamped into the block.</summary>
    private int ReadEvents(EventListReader events, int frames)
    {
        int count = events.Count;
        int n = 0;
        for (int i = 0; i < count && n < _hostEvents.Length; i++)
        {
            if (!events.TryGetEvent(i, out Event e) || e.BusIndex != 0) continue;
            int offset = Math.Clamp(e.SampleOffset, 0, frames);
            if (e.Type == EventTypes.NoteOn)
                _hostEvents[n++] = new NoteEvent(NoteEventKind.NoteOn, offset, e.NoteOn.Channel, e.NoteOn.Pitch, e.NoteOn.Velocity, e.NoteOn.NoteId);
            else if (e.Type == EventTypes.NoteOff)
                _hostEvents[n++] = new NoteEvent(NoteEventKind.NoteOff, offset, e.NoteOff.Channel, e.NoteOff.Pitch, e.NoteOff.Velocity, e.NoteOff.NoteId);
        }
        return n;
    }

    /// <summary>
    /// The events of a slice in host order, offsets relative to the slice: those from <paramref name="next"/> until
    /// one lies at or after <paramref name="end"/>. An offset before the slice (an unsorted list) reads as 0: it
    /// applies at once.
    /// </summary>
    private int SliceEvents(int count, ref int next, int start, int end)
    {
        var target = _state.EventStorage;
        int n = 0;
        for (; next < count && n < target.Length; next++)
        {
            var e = _hostEvents[next];
            if (e.Offset >= end) break;
            target[n++] = e with { Offset = Math.Max(0, e.Offset - start) };
        }
        return n;
    }

    private void UpdateBypassTarget()
    {
        if (_bypass is null) return;
        _bypass.Bypassed = _parameters.Store.GetPlain(_model.BypassParameter!.Index) >= 0.5;
    }

    private static double Peak(AudioBlock<T> output)
    {
        double peak = 0;
        for (int c = 0; c < output.ChannelCount; c++) peak = Math.Max(peak, double.CreateTruncating(VectorKernels.Peak<T>(output[c])));
        return peak;
    }

    /// <summary>
    /// Meters go to the store (the controller reads them through the host) and the output parameter changes, each
    /// when its value differs from the one last sent (the first block after start processing or a state load sends
    /// every meter set).
    /// </summary>
    private void WriteMeters(ProcessBlock block, double peak)
    {
        var parameters = _model.Parameters;
        if (_model.OutputPeakMeter is { } meter)
            _state.SetMeter(meter.Index, ManagedMath.AmplitudeToDb(peak));
        int generation = _parameters.Store.Generation;
        if (generation != _meterGeneration)
        {
            // A state load may have replaced the store's meter values: send them all again.
            _meterGeneration = generation;
            Array.Fill(_sentMeters, double.NaN);
        }
        var sent = _sentMeters;
        foreach (int i in _state.TakeMeters())
        {
            double plain = _state.MeterValue(i);
            if (plain == sent[i]) continue; // unchanged: the store and the host have it
            var p = parameters[i];
            double normalized = p.ToNormalized(double.IsNegativeInfinity(plain) ? p.Min : plain);
            _parameters.Store[i] = normalized;
            // Not taken by the host (no list, full): try again next block.
            sent[i] = block.OutputParameterChanges.TryAddPoint(p.Id, 0, normalized) ? plain : double.NaN;
        }
    }

    private static int ToTResult(DspResult result) => result switch
    {
        DspResult.InvalidArgument => TResult.InvalidArgument,
        DspResult.NotInitialized => TResult.NotInitialized,
        _ => TResult.InternalError,
    };

    public void Dispose()
    {
        Dsp.Dispose();
        _storage.Dispose();
        _inputSlices.Dispose();
        _outputSlices.Dispose();
        _scratch?.Dispose();
    }
}

/// <summary>The host's channel-pointer array of a bus at the block's precision.</summary>
internal static unsafe class HostChannels<T> where T : unmanaged
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static T** Of(AudioBusView bus) =>
        typeof(T) == typeof(float) ? (T**)bus.ChannelArray32 : (T**)bus.ChannelArray64;
}
