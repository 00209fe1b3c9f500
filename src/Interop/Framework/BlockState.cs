using System.Numerics;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Storage;
using CoreDirection = NPlug.Buffers.Buses.BusDirection;

namespace NPlug.Buffers.Interop.Framework;

/// <summary>What one <see cref="ProcessContext{T}"/> reads: the current slice's buses, parameters, events and meters.</summary>
internal sealed class BlockState<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ProcessBufferStorage<T> _storage;
    private readonly NoteEvent[] _events;
    private readonly double[] _meters;
    private readonly bool[] _meterSet;

    public BlockState(ProcessBufferStorage<T> storage, ParameterBuffer parameters, int inputs, int outputs, int maxEvents)
    {
        _storage = storage;
        Parameters = parameters;
        InputCount = inputs;
        OutputCount = outputs;
        _events = new NoteEvent[Math.Max(1, maxEvents)];
        _meters = new double[parameters.Store.Count];
        _meterSet = new bool[parameters.Store.Count];
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

    public AudioBlock<T> InputView(int bus) => _storage.Bus(CoreDirection.Input, bus);

    public AudioBlock<T> OutputView(int bus) => _storage.Bus(CoreDirection.Output, bus);

    public BusViews Inputs => new(this, CoreDirection.Input);

    public BusViews Outputs => new(this, CoreDirection.Output);

    public ReadOnlySpan<NoteEvent> EventSpan => _events.AsSpan(0, EventCount);

    public Span<NoteEvent> EventStorage => _events;

    public void SetMeter(int index, double plain)
    {
        if ((uint)index >= (uint)_meters.Length) return;
        _meters[index] = plain;
        _meterSet[index] = true;
    }

    public bool TakeMeter(int index, out double plain)
    {
        plain = _meters[index];
        if (!_meterSet[index]) return false;
        _meterSet[index] = false;
        return true;
    }

    /// <summary>Indexer over one direction's bus views (a ref struct, so views never escape the call).</summary>
    public readonly ref struct BusViews(BlockState<T> state, CoreDirection direction)
    {
        public AudioBlock<T> this[int bus] => state._storage.Bus(direction, bus);
    }
}
