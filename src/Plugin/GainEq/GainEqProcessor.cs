using System.Numerics;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Plugin.Buses;
using NPlug.Buffers.Plugin.Common;
using NPlug.Buffers.Storage;
using Speakers = NPlug.Buffers.Interop.Abi.SpeakerArrangements;

namespace NPlug.Buffers.Plugin.GainEq;

/// <summary>
/// The GainEQ effect (Fx|EQ): main stereo in/out (mono, stereo, 5.1 and mono→stereo accepted), an inactive-by-default
/// stereo sidechain, output gain + 4-band EQ + sidechain ducking + bypass crossfade, sample-accurate automation at
/// 32 and 64 bits, silence flags, peak and gain-reduction meters as output parameters.
/// </summary>
public sealed class GainEqProcessor : PluginProcessor
{
    public const ushort StateClassTag = 1;
    /// <summary>Output peak below this (≈ −140 dBFS) counts as a finished tail.</summary>
    private const double SilentTailPeak = 1e-7;

    private GainEqDsp<float>? _dsp32;
    private GainEqDsp<double>? _dsp64;
    private int _seenGeneration;
    private bool _tailSilent = true;

    /// <summary>Blocks above maxSamplesPerBlock are processed here, in slices of at most the maximum.</summary>
    protected override bool ProcessesOversizeBlocks => true;

    public GainEqProcessor() : base(GainEqParameters.Layout, StateClassTag, GainEqArrangementPolicy.Instance) { }

    protected override void ConfigureBuses(BusLayout buses)
    {
        buses.AddAudioInput("Input", Speakers.Stereo);
        buses.AddAudioInput("Sidechain", Speakers.Stereo, BusType.Aux, defaultActive: false);
        buses.AddAudioOutput("Output", Speakers.Stereo);
    }

    protected override void OnActivate()
    {
        DisposeDsp();
        var configuration = CurrentConfiguration();
        if (Setup.SampleSize == SampleSize.Float64)
            _dsp64 = new GainEqDsp<double>(Store, configuration, Setup.SampleRate, Setup.MaxSamplesPerBlock);
        else
            _dsp32 = new GainEqDsp<float>(Store, configuration, Setup.SampleRate, Setup.MaxSamplesPerBlock);
        _seenGeneration = Store.Generation;
        _tailSilent = true;
    }

    protected override void OnDeactivate() => DisposeDsp();

    protected override void OnTerminate() => DisposeDsp();

    protected override void OnStartProcessing()
    {
        _dsp32?.Reset();
        _dsp64?.Reset();
        _tailSilent = true;
    }

    private void DisposeDsp()
    {
        _dsp32?.Dispose();
        _dsp64?.Dispose();
        _dsp32 = null;
        _dsp64 = null;
    }

    protected override void OnProcess(ProcessBlock block)
    {
        int result = block.SampleSize == SampleSize.Float64
            ? (_dsp64 is null ? TResult.NotInitialized : Run(_dsp64, block))
            : (_dsp32 is null ? TResult.NotInitialized : Run(_dsp32, block));
        SetProcessResult(result);
    }

    private unsafe int Run<T>(GainEqDsp<T> dsp, ProcessBlock block) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // The API layer already ran ValidateBlock for blocks with samples.
        int frames = block.SampleCount;
        if (frames == 0)
        {
            ReadParameterChanges(dsp, block, render: false, 0, 0, 0);
            return TResult.ResultOk;
        }

        // A block above maxSamplesPerBlock is processed in slices of at most the maximum, each a complete chain block.
        int max = dsp.MaxFrames;
        ulong silent = ulong.MaxValue;
        double peak = 0, gainReduction = 0;
        for (int start = 0; start < frames; start += max)
        {
            int length = Math.Min(max, frames - start);
            int r = RunSlice(dsp, block, start, length, ref silent, ref peak, out gainReduction);
            if (r != TResult.ResultOk) return r;
        }
        var output = block.Output(0);
        output.SilenceFlags = silent & ChannelMask(output.ChannelCount);
        WriteMeters(block, peak, gainReduction);
        return TResult.ResultOk;
    }

    private unsafe int RunSlice<T>(GainEqDsp<T> dsp, ProcessBlock block, int start, int length, ref ulong silent,
        ref double peak, out double gainReduction) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        gainReduction = 0;
        bool automated = ReadParameterChanges(dsp, block, render: true, block.SampleCount, start, length);

        // Collect the host's buses; inactive buses (and an absent sidechain) stay empty views.
        var storage = dsp.Storage;
        storage.Clear();
        for (int b = 0; b < block.InputBusCount && b < AudioInputs.Count; b++)
        {
            if (!AudioInputs[b].IsActive) continue;
            var bus = block.Input(b);
            int channels = Math.Min(bus.ChannelCount, AudioInputs[b].ChannelCount);
            T** pointers = dsp.InputSlices.Offset(b, HostChannels.Of<T>(bus), channels, start);
            if (storage.CollectInput(b, pointers, channels, length) is not (CollectResult.Ok or CollectResult.InactiveBus))
                return TResult.InvalidArgument;
        }
        var output = block.Output(0);
        if (!AudioOutputs[0].IsActive || output.ChannelCount == 0) { silent = 0; return TResult.ResultOk; } // no output buffers
        int outChannels = Math.Min(output.ChannelCount, AudioOutputs[0].ChannelCount);
        T** outPointers = dsp.OutputSlices.Offset(0, HostChannels.Of<T>(output), outChannels, start);
        if (storage.CollectOutput(0, outPointers, outChannels, length) is not CollectResult.Ok)
            return TResult.InvalidArgument;

        var input = block.Input(0);
        ulong inMask = ChannelMask(input.ChannelCount);
        bool inputSilent = AudioInputs[0].IsActive && input.ChannelCount > 0 && (input.SilenceFlags & inMask) == inMask;
        var outBlock = storage.MainOutput;
        if (inputSilent && _tailSilent && !automated)
        {
            // Silent in, silent tail: skip the chain and zero the output (flagged by the caller).
            for (int c = 0; c < outBlock.ChannelCount; c++) Dsp.VectorKernels.Clear(outBlock[c]);
            return TResult.ResultOk;
        }

        dsp.Render();
        double slicePeak = dsp.Chain.OutputPeak;
        _tailSilent = slicePeak < SilentTailPeak;
        peak = Math.Max(peak, slicePeak);
        gainReduction = dsp.Chain.GainReductionDb;
        // Only an output that is exactly zero is flagged; the buffer then already holds the zeros the flag promises.
        if (slicePeak != 0) silent = 0;
        return TResult.ResultOk;
    }

    /// <summary>
    /// Applies the queues to the store. With <paramref name="render"/> the points inside the slice
    /// [<paramref name="start"/>, start + <paramref name="length"/>) also become this slice's automation (offsets
    /// relative to the slice); otherwise (flush) the new values wait as pending and start the next rendered block.
    /// Returns whether any automation point or pending value reaches the chain in this slice.
    /// </summary>
    private bool ReadParameterChanges<T>(GainEqDsp<T> dsp, ProcessBlock block, bool render, int frames, int start, int length)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (render) dsp.BeginAutomation();
        bool any = false;

        int generation = Store.Generation;
        if (generation != _seenGeneration)
        {
            // A state load replaced the values: every parameter moves (smoothed) to its new value.
            _seenGeneration = generation;
            for (int i = 0; i < Layout.Count; i++) dsp.MarkPending(i);
        }

        var changes = block.InputParameterChanges;
        int queues = changes.Count;
        for (int q = 0; q < queues; q++)
        {
            var queue = changes[q];
            if (!queue.IsAvailable || !Layout.TryGetIndex(queue.ParameterId, out int index) || Layout[index].IsReadOnly) continue;
            int points = queue.PointCount;
            double last = double.NaN;
            for (int p = 0; p < points; p++)
            {
                if (!queue.TryGetPoint(p, out int offset, out double value) || !double.IsFinite(value)) continue;
                value = Math.Clamp(value, 0, 1);
                if (render)
                {
                    offset = Math.Clamp(offset, 0, frames - 1);
                    if (offset < start || offset >= start + length) continue;
                    dsp.AddPoint(index, offset - start, value);
                }
                last = value;
            }
            if (double.IsNaN(last)) continue;
            Store[index] = last;
            any = true;
            if (!render) dsp.MarkPending(index);
        }
        if (render) any |= dsp.ApplyPending(Store);
        return any;
    }

    private void WriteMeters(ProcessBlock block, double peak, double gainReductionDb)
    {
        double peakDb = peak > 0 ? 20 * Math.Log10(peak) : double.NegativeInfinity;
        SetMeter(block, GainEqParameters.OutputPeak, peakDb);
        SetMeter(block, GainEqParameters.GainReduction, gainReductionDb);
    }

    private void SetMeter(ProcessBlock block, uint id, double plain)
    {
        if (!Layout.TryGetIndex(id, out int index)) return;
        var definition = Layout[index];
        double normalized = definition.ToNormalized(double.IsNegativeInfinity(plain) ? definition.Min : plain);
        Store[index] = normalized;
        block.OutputParameterChanges.TryAddPoint(id, 0, normalized);
    }
}
