using System.Numerics;
using NPlug.Buffers.Buses;
using NPlug.Buffers.Chain;
using NPlug.Buffers.Dsp;
using NPlug.Buffers.Plugin.Parameters;
using NPlug.Buffers.Storage;

namespace NPlug.Buffers.Plugin.GainEq;

/// <summary>
/// The format-free audio path of GainEQ at one precision: the host's channel pointers go through
/// <see cref="ProcessBufferStorage{T}"/>, parameter points (normalized, per block) are converted to the chain's plain
/// units into a preallocated <see cref="ChainAutomation"/>, and <see cref="GainBiquadChain{T}"/> renders. Everything is
/// allocated in the constructor; every per-block member is allocation-free.
/// </summary>
/// <remarks>
/// Automation points are converted one by one, so the chain ramps linearly in plain units (dB, Hz) between the host's
/// points, where VST3 defines the ramp in normalized units; for the log-scaled frequencies that is a ramp in Hz
/// rather than in octaves, a difference only visible inside one block.
/// </remarks>
public sealed class GainEqDsp<T> : IDisposable where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Band list entry (parameter plain value) → filter type of the chain.</summary>
    private static readonly FilterType[] BandTypes =
    [
        FilterType.LowShelf, FilterType.Peaking, FilterType.HighShelf, FilterType.LowPass,
        FilterType.HighPass, FilterType.Notch, FilterType.BandPass, FilterType.AllPass,
    ];

    private readonly ParameterLayout _layout;
    private readonly int[] _chainIndex;      // layout index → chain parameter index, -1 if not a chain parameter
    private readonly bool[] _hasPoints;      // layout index → the host sent points this block
    private readonly bool[] _pending;        // layout index → value changed outside a block (flush, state load)
    private readonly ChainAutomation _automation;

    public GainEqDsp(ParameterStore store, BusConfiguration configuration, double sampleRate, int maxFrames)
    {
        _layout = store.Layout;
        Storage = new ProcessBufferStorage<T>(configuration, maxFrames);
        MaxFrames = maxFrames;
        Span<int> inputs = stackalloc int[configuration.InputBusCount];
        for (int b = 0; b < inputs.Length; b++) inputs[b] = configuration.Inputs[b].ChannelCount;
        Span<int> outputs = stackalloc int[configuration.OutputBusCount];
        for (int b = 0; b < outputs.Length; b++) outputs[b] = configuration.Outputs[b].ChannelCount;
        InputSlices = new Common.ChannelOffsetTable<T>(inputs);
        OutputSlices = new Common.ChannelOffsetTable<T>(outputs);
        int channels = Math.Max(1, configuration.MainOutputChannelCount > 0 ? configuration.MainOutputChannelCount : configuration.Outputs.IsEmpty ? 1 : configuration.Outputs[0].ChannelCount);
        int sidechainChannels = configuration.InputBusCount > 1 ? Math.Max(1, configuration.Inputs[1].ChannelCount) : 2;
        Chain = new GainBiquadChain<T>();
        Chain.Prepare(sampleRate, maxFrames, channels, sidechainChannels);
        _automation = new ChainAutomation(GainEqParameters.BandCount);

        _chainIndex = new int[_layout.Count];
        _hasPoints = new bool[_layout.Count];
        _pending = new bool[_layout.Count];
        for (int i = 0; i < _layout.Count; i++) _chainIndex[i] = ChainIndexOf(_layout[i].Id);

        // Start from the stored values without ramps (not the audio thread: SetParameter resets the chain).
        for (int i = 0; i < _layout.Count; i++)
            if (_chainIndex[i] >= 0) Chain.SetParameter(_chainIndex[i], ToChainValue(i, store[i]));
    }

    public ProcessBufferStorage<T> Storage { get; }
    /// <summary>Shifted host pointer arrays for blocks processed in slices.</summary>
    internal Common.ChannelOffsetTable<T> InputSlices { get; }
    internal Common.ChannelOffsetTable<T> OutputSlices { get; }
    public GainBiquadChain<T> Chain { get; }
    public int MaxFrames { get; }

    private static int ChainIndexOf(uint id)
    {
        switch (id)
        {
            case GainEqParameters.OutputGain: return (int)ChainParameter.GainDb;
            case GainEqParameters.Bypass: return (int)ChainParameter.Bypass;
            case GainEqParameters.DuckDepth: return (int)ChainParameter.DuckDepthDb;
            case GainEqParameters.KeyFrequency: return (int)ChainParameter.KeyFrequencyHz;
        }
        if (id >= GainEqParameters.BandBase && id < GainEqParameters.BandBase + GainEqParameters.BandCount * GainEqParameters.BandStride)
        {
            int band = (int)((id - GainEqParameters.BandBase) / GainEqParameters.BandStride);
            BandField? field = ((id - GainEqParameters.BandBase) % GainEqParameters.BandStride) switch
            {
                GainEqParameters.BandType => BandField.Type,
                GainEqParameters.BandFrequency => BandField.FrequencyHz,
                GainEqParameters.BandGain => BandField.GainDb,
                GainEqParameters.BandQ => BandField.Q,
                GainEqParameters.BandEnabled => BandField.Enabled,
                _ => null,
            };
            if (field is { } f) return ChainAutomation.BandParameter(band, f);
        }
        return -1;
    }

    /// <summary>Plain value in the chain's units for a normalized value of layout parameter <paramref name="index"/>.</summary>
    public double ToChainValue(int index, double normalized)
    {
        double plain = _layout[index].ToPlain(normalized);
        if (_chainIndex[index] >= ChainAutomation.GlobalParameterCount
            && (_chainIndex[index] - ChainAutomation.GlobalParameterCount) % ChainAutomation.FieldsPerBand == (int)BandField.Type)
            return (double)BandTypes[(int)Math.Clamp(plain, 0, BandTypes.Length - 1)];
        return plain;
    }

    /// <summary>Starts collecting this block's automation.</summary>
    public void BeginAutomation()
    {
        _automation.Clear();
        Array.Clear(_hasPoints);
    }

    /// <summary>One host point (offset within the block being rendered, normalized value).</summary>
    public void AddPoint(int index, int sampleOffset, double normalized)
    {
        int chainIndex = _chainIndex[index];
        if (chainIndex < 0) return;
        _hasPoints[index] = true;
        _pending[index] = false;
        _automation.AddPoint(chainIndex, sampleOffset, ToChainValue(index, normalized));
    }

    /// <summary>Marks a value changed without a block to carry it (a flush, a state load): applied at the next block's start.</summary>
    public void MarkPending(int index) => _pending[index] = true;

    /// <summary>Adds offset-0 points for pending values that the host's queues did not already cover this block; true if it added any.</summary>
    public bool ApplyPending(ParameterStore store)
    {
        bool any = false;
        for (int i = 0; i < _pending.Length; i++)
        {
            if (!_pending[i]) continue;
            _pending[i] = false;
            if (_hasPoints[i] || _chainIndex[i] < 0) continue;
            _automation.AddPoint(_chainIndex[i], 0, ToChainValue(i, store[i]));
            any = true;
        }
        return any;
    }

    /// <summary>Renders the collected buses: main input (+ sidechain aux 0) → main output.</summary>
    public bool Render()
    {
        var sidechain = Storage.AuxInputCount > 0 ? Storage.AuxInput(0) : AudioBlock<T>.Empty;
        return Chain.Process(Storage.MainInput, Storage.MainOutput, sidechain, _automation);
    }

    public void Reset() => Chain.Reset();

    public void Dispose()
    {
        Storage.Dispose();
        InputSlices.Dispose();
        OutputSlices.Dispose();
    }
}
