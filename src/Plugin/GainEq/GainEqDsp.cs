using System.Numerics;
using NPlug.Buffers.Chain;
using NPlug.Buffers.Dsp;
using NPlug.Buffers.Interop.Framework;

namespace NPlug.Buffers.Plugin.GainEq;

/// <summary>
/// GainEQ's audio path at one precision: the block's parameter points, converted to the chain's units, become the
/// chain's sample-accurate automation, and <see cref="GainBiquadChain{T}"/> renders main input (+ sidechain) → output.
/// </summary>
/// <remarks>
/// Points are converted one by one, so the chain ramps linearly in plain units (dB, Hz) between the host's points,
/// where VST3 defines the ramp in normalized units; for the log-scaled frequencies that is a ramp in Hz rather than in
/// octaves, a difference only visible inside one block.
/// </remarks>
public sealed class GainEqDsp<T>(GainEqModel model) : AudioDsp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Output peak below this (≈ −140 dBFS) counts as a finished tail.</summary>
    private const double SilentTailPeak = 1e-7;

    /// <summary>Band list entry (parameter plain value) → filter type of the chain.</summary>
    private static readonly FilterType[] BandTypes =
    [
        FilterType.LowShelf, FilterType.Peaking, FilterType.HighShelf, FilterType.LowPass,
        FilterType.HighPass, FilterType.Notch, FilterType.BandPass, FilterType.AllPass,
    ];

    private readonly int[] _chainIndex = ChainIndices(model);   // model index → chain parameter, -1 if none
    // The parameters the chain takes, in model order: model index, chain parameter, and whether the value is a band's
    // filter type (mapped through BandTypes); the block's points are copied from this list without per-point lookups.
    private readonly Routed[] _routed = RoutedParameters(model);
    private readonly ChainAutomation _automation = new(GainEqModel.BandCount, GainEqModel.PointsPerParameter);
    private bool _tailSilent = true;

    public GainBiquadChain<T> Chain { get; } = new(ChainSettings.Default with { MaxPointsPerParameter = GainEqModel.PointsPerParameter });

    public override void Prepare(in DspSetup setup)
    {
        int channels = Math.Max(1, setup.OutputChannels.Length > 0 ? setup.OutputChannels[0] : 1);
        int sidechain = setup.InputChannels.Length > 1 ? Math.Max(1, setup.InputChannels[1]) : 2;
        // The chain's per-block buffers (dry copy, key, detector) come from the module's scratch pool through the framework.
        // A short lease goes to the chain whole: it splits the block on its own sub-block grid, so a starved pool renders
        // the same samples even while automation ramps (framework passes would restart its smoothers at every pass edge).
        Chain.Prepare(setup.SampleRate, setup.MaxFrames, channels, sidechain, externalScratch: true);
        setup.RequestScratch(Chain.ScratchChannels, GainBiquadChain<T>.MinScratchFrames);
        // Start from the current values without ramps.
        for (int i = 0; i < _chainIndex.Length; i++)
            if (_chainIndex[i] >= 0) Chain.SetParameter(_chainIndex[i], ToChainValue(i, setup.Plain(model.Parameters[i])));
        _tailSilent = true;
    }

    public override DspResult Process(in ProcessContext<T> context)
    {
        var parameters = context.Parameters;
        // A block without parameter points (the common static case) has nothing to copy; clearing an empty
        // ChainAutomation costs nothing, and the chain skips its bookkeeping for one (IsEmpty).
        _automation.Clear();
        if (parameters.AnyChanged)
        {
            foreach (var routed in _routed)
            {
                var points = parameters.Points(routed.ModelIndex);
                if (points.IsEmpty) continue;
                if (routed.IsType)
                    foreach (var point in points) _automation.AddPoint(routed.ChainIndex, point.Offset, TypeValue(point.Plain));
                else
                    foreach (var point in points) _automation.AddPoint(routed.ChainIndex, point.Offset, point.Plain);
            }
        }
        if (context.Frames == 0) return DspResult.Ok;

        var output = context.MainOutput;
        if (context.IsInputSilent && _tailSilent && !parameters.AnyChanged)
        {
            // Silent in, silent tail: skip the chain (the framework flags the zeros).
            for (int c = 0; c < output.ChannelCount; c++) VectorKernels.Clear(output[c]);
            context.ReportOutputPeak(0);
            context.SetMeter(model.GainReductionMeter, 0);
            return DspResult.Ok;
        }
        // No points this block: no automation at all (the same to the chain, without its per-parameter reads).
        Chain.Process(context.MainInput, output, context.Input(1), _automation, context.Scratch);
        _tailSilent = Chain.OutputPeak < SilentTailPeak;
        context.ReportOutputPeak(Chain.OutputPeak);
        context.SetMeter(model.GainReductionMeter, Chain.GainReductionDb);
        return DspResult.Ok;
    }

    public override bool NeedsScratch(in ScratchQuery query)
    {
        // The bypass is a toggle (plain ≥ 0.5 ⇔ normalized ≥ 0.5); the depth only matters with a sidechain connected
        // (the chain ignores it otherwise): not read without one.
        bool sidechain = query.IsInputActive(1);
        return Chain.NeedsScratch(
            query.Normalized(model.BypassParameter!) >= 0.5, query.Changes(model.BypassParameter!),
            sidechain ? query.Plain(model.DuckDepthParameter) : 0, sidechain && query.Changes(model.DuckDepthParameter), sidechain);
    }

    public override void Reset()
    {
        Chain.Reset();
        _tailSilent = true;
    }

    private double ToChainValue(int index, double plain) => IsTypeParameter(_chainIndex[index]) ? TypeValue(plain) : plain;

    private static bool IsTypeParameter(int chainIndex) =>
        chainIndex >= ChainAutomation.GlobalParameterCount
        && (chainIndex - ChainAutomation.GlobalParameterCount) % ChainAutomation.FieldsPerBand == (int)BandField.Type;

    /// <summary>A band type's list entry (plain value) as the chain's filter type number.</summary>
    private static double TypeValue(double plain) => (double)BandTypes[(int)Math.Clamp(plain, 0, BandTypes.Length - 1)];

    private readonly record struct Routed(int ModelIndex, int ChainIndex, bool IsType);

    private static Routed[] RoutedParameters(GainEqModel model)
    {
        var map = ChainIndices(model);
        int n = 0;
        foreach (int chain in map) if (chain >= 0) n++;
        var routed = new Routed[n];
        n = 0;
        for (int i = 0; i < map.Length; i++)
            if (map[i] >= 0) routed[n++] = new Routed(i, map[i], IsTypeParameter(map[i]));
        return routed;
    }

    private static int[] ChainIndices(GainEqModel model)
    {
        var map = new int[model.Parameters.Count];
        for (int i = 0; i < map.Length; i++) map[i] = ChainIndexOf(model.Parameters[i].Id);
        return map;
    }

    private static int ChainIndexOf(uint id)
    {
        switch (id)
        {
            case GainEqModel.OutputGain: return (int)ChainParameter.GainDb;
            case GainEqModel.Bypass: return (int)ChainParameter.Bypass;
            case GainEqModel.DuckDepth: return (int)ChainParameter.DuckDepthDb;
            case GainEqModel.KeyFrequency: return (int)ChainParameter.KeyFrequencyHz;
        }
        uint offset = id - GainEqModel.BandBase;
        if (id < GainEqModel.BandBase || offset >= GainEqModel.BandCount * GainEqModel.BandStride) return -1;
        BandField? field = (offset % GainEqModel.BandStride) switch
        {
            GainEqModel.BandType => BandField.Type,
            GainEqModel.BandFrequency => BandField.FrequencyHz,
            GainEqModel.BandGain => BandField.GainDb,
            GainEqModel.BandQ => BandField.Q,
            GainEqModel.BandEnabled => BandField.Enabled,
            _ => null,
        };
        return field is { } f ? ChainAutomation.BandParameter((int)(offset / GainEqModel.BandStride), f) : -1;
    }
}
