using System.Numerics;
using System.Runtime.CompilerServices;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Pools;
using NPlug.Buffers.Storage;
using CoreDirection = NPlug.Buffers.Buses.BusDirection;

namespace NPlug.Buffers.Interop.Framework;

/// <summary>What one <see cref="ProcessContext{T}"/> reads: the current slice's buses, parameters, events and meters.</summary>
internal sealed unsafe class BlockState<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ProcessBufferStorage<T> _storage;
    private readonly NoteEvent[] _events;
    private readonly double[] _meters;
    private readonly bool[] _meterSet;
    // Indices set since the last TakeMeters, in the order first set (at most one entry per parameter).
    private readonly int[] _meterList;
    private int _meterCount;
    // The views of the slice collected last (SetView/TakeView), per bus: read by every InputView/OutputView of the block
    // without going back to the storage.
    private readonly CollectedView[] _inputViews;
    private readonly CollectedView[] _outputViews;

    public BlockState(ProcessBufferStorage<T> storage, ParameterBuffer parameters, int inputs, int outputs, int maxEvents)
    {
        _storage = storage;
        Parameters = parameters;
        InputCount = inputs;
        OutputCount = outputs;
        _events = new NoteEvent[Math.Max(1, maxEvents)];
        _meters = new double[parameters.Store.Count];
        _meterSet = new bool[parameters.Store.Count];
        _meterList = new int[parameters.Store.Count];
        _inputViews = new CollectedView[inputs];
        _outputViews = new CollectedView[outputs];
    }

    public ParameterBuffer Parameters { get; }
    public int Frames;
    public double SampleRate;
    public ProcessMode Mode;
    public bool InputSilent;
    public double ReportedPeak = double.NaN;
    public int EventCount;
    public int InputCount { get; }
    public int OutputCount { get; }

    /// <summary>First frame of the current pass within the collected slice.</summary>
    public int PassStart;

    private ScratchLease<T> _lease;
    private int _scratchChannels;

    /// <summary>Starts a pass: frames [start, start + frames) of the collected slice, the DSP's part of the lease.</summary>
    public void SetPass(int start, int frames, in ScratchLease<T> lease, int dspChannels)
    {
        PassStart = start;
        Frames = frames;
        ReportedPeak = double.NaN;
        // Without a lease the old one is left in place unread (Scratch is empty while _scratchChannels is 0): no
        // struct copy with write barriers on a block that takes none.
        if (lease.IsValid)
        {
            _lease = lease;
            _scratchChannels = Math.Min(dspChannels, lease.ChannelCount);
        }
        else _scratchChannels = 0;
    }

    /// <summary>The DSP's scratch channels for this pass (empty when it asked for none); shorter than the pass only for a
    /// DSP that asked for that (DspSetup.RequestScratch(channels, minFrames)).</summary>
    /// <remarks>Inlined like the bus views: a call returning the view through a hidden buffer stalls its caller on store
    /// forwarding (measured in GainEqDsp.Process).</remarks>
    public AudioBlock<T> Scratch
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _scratchChannels == 0 ? AudioBlock<T>.Empty : _lease.AsBlock(Frames).WithChannels(_scratchChannels);
    }

    /// <summary>Bus <paramref name="bus"/>'s view of the slice being collected: the host's own channel array.</summary>
    public void SetView(CoreDirection direction, int bus, T** pointers, int channels, int frames)
    {
        ref var v = ref (direction == CoreDirection.Input ? _inputViews : _outputViews)[bus];
        v.Pointers = pointers;
        v.Channels = channels;
        v.Frames = frames;
    }

    /// <summary>Bus <paramref name="bus"/>'s view of the slice being collected: as the storage collected it (or empty).</summary>
    public void TakeView(CoreDirection direction, int bus)
    {
        ref var v = ref (direction == CoreDirection.Input ? _inputViews : _outputViews)[bus];
        _storage.GetCollected(direction, bus, out v.Pointers, out v.Channels, out v.Frames);
    }

    /// <summary>Forgets the captured views (the storage was cleared without collecting).</summary>
    public void ClearViews()
    {
        Array.Clear(_inputViews);
        Array.Clear(_outputViews);
    }

    // Views are inlined into their callers: returned through a hidden buffer, a view written field by field and read
    // back whole stalls on store forwarding (measured in GainEqDsp.Process and ProcessorCore.RunRendered).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public AudioBlock<T> InputView(int bus) =>
        (uint)bus < (uint)_inputViews.Length ? Pass(in _inputViews[bus]) : AudioBlock<T>.Empty;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public AudioBlock<T> OutputView(int bus) =>
        (uint)bus < (uint)_outputViews.Length ? Pass(in _outputViews[bus]) : AudioBlock<T>.Empty;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private AudioBlock<T> Pass(in CollectedView collected)
    {
        int frames = Frames, start = PassStart;
        if (collected.Channels == 0 || collected.Frames < start + frames) return AudioBlock<T>.Empty;
        var view = new AudioBlock<T>(collected.Pointers, collected.Channels, collected.Frames);
        return start == 0 && frames == collected.Frames ? view : view.Slice(start, frames);
    }

    private struct CollectedView
    {
        public T** Pointers;
        public int Channels;
        public int Frames;
    }

    public BusViews Inputs => new(this, CoreDirection.Input);

    public BusViews Outputs => new(this, CoreDirection.Output);

    public ReadOnlySpan<NoteEvent> EventSpan => _events.AsSpan(0, EventCount);

    public Span<NoteEvent> EventStorage => _events;

    public void SetMeter(int index, double plain)
    {
        if ((uint)index >= (uint)_meters.Length) return;
        _meters[index] = plain;
        if (_meterSet[index]) return;
        _meterSet[index] = true;
        _meterList[_meterCount++] = index;
    }

    /// <summary>
    /// The indices of the meters set since the last call, in ascending parameter order, each once; their flags are
    /// cleared (the values stay readable through <see cref="MeterValue"/> until set again).
    /// </summary>
    public ReadOnlySpan<int> TakeMeters()
    {
        int n = _meterCount;
        _meterCount = 0;
        var list = _meterList;
        // Insertion sort: a block sets a handful of meters.
        for (int i = 1; i < n; i++)
        {
            int v = list[i], j = i - 1;
            while (j >= 0 && list[j] > v) { list[j + 1] = list[j]; j--; }
            list[j + 1] = v;
        }
        for (int i = 0; i < n; i++) _meterSet[list[i]] = false;
        return list.AsSpan(0, n);
    }

    public double MeterValue(int index) => _meters[index];

    /// <summary>Indexer over one direction's bus views (a ref struct, so views never escape the call).</summary>
    public readonly ref struct BusViews(BlockState<T> state, CoreDirection direction)
    {
        public AudioBlock<T> this[int bus]
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => direction == CoreDirection.Input ? state.InputView(bus) : state.OutputView(bus);
        }
    }
}
