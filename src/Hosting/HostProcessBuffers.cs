using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Hosting;

/// <summary>How the host presents channel pointers for one direction in a process call.</summary>
public enum ChannelPointerMode
{
    /// <summary>Each channel points at its own host-owned buffer.</summary>
    Owned,

    /// <summary>The channel-pointer array exists but every entry is null (allowed for inactive buses; hostile otherwise).</summary>
    Null,

    /// <summary>Output channel n of bus b points at input channel n of bus b (in-place processing).</summary>
    InPlace,
}

/// <summary>
/// Host-owned audio memory for one process call: one buffer per channel of every declared audio bus (active or
/// not, like the validator), the <c>AudioBusBuffers</c> arrays and the <c>ProcessData</c> itself, all in native
/// memory allocated once. Each channel holds enough bytes for 64-bit samples, so the same storage serves 32- and
/// 64-bit processing. Capacity is twice <c>maxSamplesPerBlock</c> so that a hostile oversize block cannot make a
/// plugin that ignores the contract write outside host memory.
/// </summary>
public sealed unsafe class HostProcessBuffers : IDisposable
{
    private readonly int[] _inputChannels;
    private readonly int[] _outputChannels;
    private readonly ChannelSet[] _inputs;
    private readonly ChannelSet[] _outputs;
    private readonly ulong[] _inputSilence;
    private AudioBusBuffers* _inputBuses;
    private AudioBusBuffers* _outputBuses;
    private ProcessData* _data;
    private bool _disposed;

    private struct ChannelSet
    {
        public void** Owned;   // own buffers
        public void** Nulls;   // all null
        public void** Aliased; // outputs only: the matching input buffers (own buffer when there is no match)
        public int Count;
    }

    public HostProcessBuffers(ReadOnlySpan<int> inputChannels, ReadOnlySpan<int> outputChannels, int maxSamplesPerBlock)
    {
        if (maxSamplesPerBlock < 1) throw new ArgumentOutOfRangeException(nameof(maxSamplesPerBlock));
        MaxSamplesPerBlock = maxSamplesPerBlock;
        CapacitySamples = maxSamplesPerBlock * 2 + 16;
        _inputChannels = inputChannels.ToArray();
        _outputChannels = outputChannels.ToArray();
        _inputs = new ChannelSet[_inputChannels.Length];
        _inputSilence = new ulong[_inputChannels.Length];
        _outputs = new ChannelSet[_outputChannels.Length];
        for (int b = 0; b < _inputs.Length; b++) _inputs[b] = AllocateSet(_inputChannels[b]);
        for (int b = 0; b < _outputs.Length; b++)
        {
            _outputs[b] = AllocateSet(_outputChannels[b]);
            _outputs[b].Aliased = (void**)NativeMemory.AllocZeroed((nuint)(sizeof(void*) * Math.Max(1, _outputChannels[b])));
            for (int c = 0; c < _outputChannels[b]; c++)
            {
                bool hasInput = b < _inputs.Length && c < _inputChannels[b];
                _outputs[b].Aliased[c] = hasInput ? _inputs[b].Owned[c] : _outputs[b].Owned[c];
            }
        }
        _inputBuses = (AudioBusBuffers*)NativeMemory.AllocZeroed((nuint)(sizeof(AudioBusBuffers) * Math.Max(1, _inputs.Length)));
        _outputBuses = (AudioBusBuffers*)NativeMemory.AllocZeroed((nuint)(sizeof(AudioBusBuffers) * Math.Max(1, _outputs.Length)));
        _data = (ProcessData*)NativeMemory.AllocZeroed((nuint)sizeof(ProcessData));
        InputMode = ChannelPointerMode.Owned;
        OutputMode = ChannelPointerMode.Owned;
        Prepare(0, SymbolicSampleSizes.Sample32);
    }

    public int MaxSamplesPerBlock { get; }

    /// <summary>Samples each channel buffer can hold (more than the maximum block, see the type remarks).</summary>
    public int CapacitySamples { get; }

    public int InputBusCount => _inputs.Length;

    public int OutputBusCount => _outputs.Length;

    public int InputChannelCount(int bus) => _inputChannels[bus];

    public int OutputChannelCount(int bus) => _outputChannels[bus];

    public ChannelPointerMode InputMode { get; set; }

    /// <summary>Owned, Null, or InPlace (outputs alias the inputs).</summary>
    public ChannelPointerMode OutputMode { get; set; }

    /// <summary>The native <c>ProcessData</c> passed to <c>process</c>.</summary>
    public ProcessData* Data => _data;

    public AudioBusBuffers* InputBuses => _inputBuses;

    public AudioBusBuffers* OutputBuses => _outputBuses;

    public Span<float> Input32(int bus, int channel) => new(_inputs[bus].Owned[channel], CapacitySamples);
    public Span<double> Input64(int bus, int channel) => new(_inputs[bus].Owned[channel], CapacitySamples);
    public Span<float> Output32(int bus, int channel) => new(OutputPointer(bus, channel), CapacitySamples);
    public Span<double> Output64(int bus, int channel) => new(OutputPointer(bus, channel), CapacitySamples);

    /// <summary>The memory the plugin writes output channel <paramref name="channel"/> into under the current mode.</summary>
    public void* OutputPointer(int bus, int channel)
        => OutputMode == ChannelPointerMode.InPlace ? _outputs[bus].Aliased[channel] : _outputs[bus].Owned[channel];

    /// <summary>Input silence flags applied by every following <see cref="Prepare"/> (bit n = channel n is silent).</summary>
    public void SetInputSilenceFlags(int bus, ulong flags) => _inputSilence[bus] = flags;

    /// <summary>Sets every input bus's flags to "all channels silent" (or clears them).</summary>
    public void SetAllInputsSilent(bool silent)
    {
        for (int b = 0; b < _inputSilence.Length; b++)
            _inputSilence[b] = silent ? AllChannels(_inputChannels[b]) : 0;
    }

    public static ulong AllChannels(int channels) => channels >= 64 ? ulong.MaxValue : (1UL << channels) - 1;

    /// <summary>Zeroes every channel buffer (input and output) over the full capacity.</summary>
    public void ClearAll()
    {
        foreach (var s in _inputs) ClearSet(s);
        foreach (var s in _outputs) ClearSet(s);
    }

    /// <summary>Fills every output buffer with a value (e.g. NaN as a sentinel that the plugin must overwrite).</summary>
    public void FillOutputs(double value, int sampleSize)
    {
        for (int b = 0; b < _outputs.Length; b++)
            for (int c = 0; c < _outputChannels[b]; c++)
            {
                if (sampleSize == SymbolicSampleSizes.Sample64) new Span<double>(_outputs[b].Owned[c], CapacitySamples).Fill(value);
                else new Span<float>(_outputs[b].Owned[c], CapacitySamples).Fill((float)value);
            }
    }

    /// <summary>
    /// Fills <c>ProcessData</c> and the bus arrays for one call: sample count, sample size, channel pointers for the
    /// current modes, silence flags cleared. Interface pointers (parameter changes, events, context) are left as set.
    /// Allocation-free.
    /// </summary>
    public void Prepare(int numSamples, int symbolicSampleSize, int processMode = ProcessModes.Realtime)
    {
        _data->ProcessMode = processMode;
        _data->SymbolicSampleSize = symbolicSampleSize;
        _data->NumSamples = numSamples;
        _data->NumInputs = _inputs.Length;
        _data->NumOutputs = _outputs.Length;
        _data->Inputs = _inputs.Length == 0 ? null : _inputBuses;
        _data->Outputs = _outputs.Length == 0 ? null : _outputBuses;
        for (int b = 0; b < _inputs.Length; b++)
        {
            var bus = &_inputBuses[b];
            bus->NumChannels = _inputChannels[b];
            bus->SilenceFlags = _inputSilence[b];
            bus->ChannelBuffers32 = (float**)(InputMode == ChannelPointerMode.Null ? _inputs[b].Nulls : _inputs[b].Owned);
        }
        for (int b = 0; b < _outputs.Length; b++)
        {
            var bus = &_outputBuses[b];
            bus->NumChannels = _outputChannels[b];
            bus->SilenceFlags = 0;
            bus->ChannelBuffers32 = (float**)(OutputMode switch
            {
                ChannelPointerMode.Null => _outputs[b].Nulls,
                ChannelPointerMode.InPlace => _outputs[b].Aliased,
                _ => _outputs[b].Owned,
            });
        }
    }

    private ChannelSet AllocateSet(int channels)
    {
        if (channels < 0) throw new ArgumentOutOfRangeException(nameof(channels));
        var set = new ChannelSet
        {
            Count = channels,
            Owned = (void**)NativeMemory.AllocZeroed((nuint)(sizeof(void*) * Math.Max(1, channels))),
            Nulls = (void**)NativeMemory.AllocZeroed((nuint)(sizeof(void*) * Math.Max(1, channels))),
        };
        for (int c = 0; c < channels; c++)
        {
            var bytes = (nuint)(CapacitySamples * sizeof(double));
            set.Owned[c] = NativeMemory.AlignedAlloc(bytes, 64);
            NativeMemory.Clear(set.Owned[c], bytes);
        }
        return set;
    }

    private void ClearSet(in ChannelSet s)
    {
        for (int c = 0; c < s.Count; c++) NativeMemory.Clear(s.Owned[c], (nuint)(CapacitySamples * sizeof(double)));
    }

    private static void FreeSet(ref ChannelSet s)
    {
        for (int c = 0; c < s.Count; c++) NativeMemory.AlignedFree(s.Owned[c]);
        NativeMemory.Free(s.Owned);
        NativeMemory.Free(s.Nulls);
        if (s.Aliased != null) NativeMemory.Free(s.Aliased);
        s = default;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        for (int i = 0; i < _inputs.Length; i++) FreeSet(ref _inputs[i]);
        for (int i = 0; i < _outputs.Length; i++) FreeSet(ref _outputs[i]);
        NativeMemory.Free(_inputBuses);
        NativeMemory.Free(_outputBuses);
        NativeMemory.Free(_data);
        _inputBuses = null;
        _outputBuses = null;
        _data = null;
    }
}
