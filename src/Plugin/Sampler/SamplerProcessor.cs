using System.Numerics;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Plugin.Buses;
using NPlug.Buffers.Plugin.Common;
using NPlug.Buffers.Pools;
using NPlug.Buffers.Storage;
using Speakers = NPlug.Buffers.Interop.Abi.SpeakerArrangements;

namespace NPlug.Buffers.Plugin.Sampler;

/// <summary>
/// The Sampler instrument (Instrument|Sampler): no audio input, one stereo output, one event input. Notes start and
/// stop at their sample offsets; voices play the shared default sample (generated at initialize) through a per-voice
/// gain and low-pass biquad. Null output channel pointers from the host are rendered into internal buffers (allocated
/// with the storage at activation, for this instrument class only) and the host's entries are pointed at them.
/// </summary>
/// <remarks>
/// Volume, cutoff, resonance and release take the last point of each queue per block and are smoothed by the engine
/// (per 32 frames); notes are sample accurate. Bypass fades the output to silence over 10 ms.
/// </remarks>
public sealed class SamplerProcessor : PluginProcessor
{
    public const ushort StateClassTag = 2;
    public const int DefaultSampleId = 0;

    private readonly SamplerEngine _engine = new();
    private SharedSample? _defaultSample; // one copy per process, in the module registry
    private SamplerDsp<float>? _dsp32;
    private SamplerDsp<double>? _dsp64;
    private int _seenGeneration = -1;

    /// <summary>Blocks above maxSamplesPerBlock are processed here, in slices of at most the maximum.</summary>
    protected override bool ProcessesOversizeBlocks => true;

    public SamplerProcessor() : base(SamplerParameters.Layout, StateClassTag, SamplerArrangementPolicy.Instance) { }

    /// <summary>The engine (read-only use in tests: voice counts).</summary>
    public SamplerEngine Engine => _engine;

    protected override void ConfigureBuses(BusLayout buses)
    {
        buses.AddAudioOutput("Output", Speakers.Stereo);
        buses.AddEventInput("Notes", 16);
    }

    protected override void OnInitialize()
    {
        // The default sample: synthesised once per process into the module registry, shared by every instance and voice.
        _defaultSample ??= DefaultSample.AcquireShared();
        _engine.SetSampleSource(_defaultSample, DefaultSample.RootNote);
    }

    protected override void OnTerminate()
    {
        DisposeDsp();
        _engine.ReleaseScratch();
        _defaultSample?.Dispose();
        _defaultSample = null;
    }

    protected override void OnActivate()
    {
        DisposeDsp();
        _engine.Prepare(Setup.SampleRate);
        var configuration = CurrentConfiguration();
        if (Setup.SampleSize == SampleSize.Float64)
            _dsp64 = new SamplerDsp<double>(_engine, configuration, Setup.SampleRate, Setup.MaxSamplesPerBlock);
        else
            _dsp32 = new SamplerDsp<float>(_engine, configuration, Setup.SampleRate, Setup.MaxSamplesPerBlock);
        _seenGeneration = -1; // push every stored value into the engine on the first block
        ApplyStoreToEngine(snap: true);
    }

    protected override void OnDeactivate()
    {
        DisposeDsp();
        _engine.ReleaseScratch(); // voice buffers back to the module pool; it may shrink
        SharedBufferRegistry.Module.CollectRetired(); // free samples whose last voice ended on the audio thread
    }

    protected override void OnStartProcessing()
    {
        _engine.Reset();
        _dsp32?.Reset();
        _dsp64?.Reset();
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

    private unsafe int Run<T>(SamplerDsp<T> dsp, ProcessBlock block) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // The API layer already ran ValidateBlock for blocks with samples.
        int frames = block.SampleCount;
        ReadParameterChanges(block, dsp);

        var events = block.InputEvents;
        int eventCount = events.Count;
        int nextEvent = 0;
        var output = block.Output(0);
        bool hasOutput = frames > 0 && AudioOutputs[0].IsActive && output.ChannelCount > 0;
        if (!hasOutput)
        {
            // A flush (or a block without output buffers): notes still start and stop.
            ApplyEvents(events, eventCount, ref nextEvent, int.MaxValue, frames, dsp, rendered: false, 0, 0);
            return TResult.ResultOk;
        }

        // A block above maxSamplesPerBlock is rendered in slices of at most the maximum. Null output channels in such a
        // block render into the internal buffers slice by slice without being handed to the host (they hold only one
        // slice); within the maximum, the host's null entries are pointed at the internal buffers.
        int max = dsp.Storage.MaxFrames;
        bool sliced = frames > max;
        T** host = HostChannels.Of<T>(output);
        int channels = Math.Min(output.ChannelCount, AudioOutputs[0].ChannelCount);
        ulong silent = ulong.MaxValue;
        double peak = 0;
        for (int start = 0; start < frames; start += max)
        {
            int length = Math.Min(max, frames - start);
            var storage = dsp.Storage;
            storage.Clear();
            T** pointers = dsp.OutputSlices.Offset(0, host, channels, start);
            var options = host != null && !sliced ? CollectOptions.WriteBackSubstitutes : CollectOptions.None;
            if (storage.CollectOutput(0, pointers, channels, length, options) != CollectResult.Ok) return TResult.InvalidArgument;
            dsp.ClearOutput();
            int end = start + length == frames ? int.MaxValue : start + length; // the last slice takes late events too
            int position = ApplyEvents(events, eventCount, ref nextEvent, end, frames, dsp, rendered: true, start, 0);
            dsp.RenderRange(position, length);
            dsp.Finish();
            peak = Math.Max(peak, dsp.OutputPeak);
            if (dsp.OutputPeak != 0) silent = 0;
        }

        output.SilenceFlags = silent & ChannelMask(output.ChannelCount);
        SetMeter(block, SamplerParameters.OutputPeak, peak > 0 ? 20 * Math.Log10(peak) : double.NegativeInfinity);
        SetMeter(block, SamplerParameters.ActiveVoices, _engine.ActiveVoiceCount);
        return TResult.ResultOk;
    }

    /// <summary>
    /// Applies note events in list order until one lies at or after <paramref name="end"/> (block frames). When
    /// <paramref name="rendered"/>, audio is rendered up to each event first, so notes start and stop at their offsets;
    /// an offset earlier than what was already rendered applies at once. Returns the slice-relative render position.
    /// </summary>
    private int ApplyEvents<T>(EventListReader events, int count, ref int next, int end, int frames, SamplerDsp<T> dsp,
        bool rendered, int sliceStart, int position) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (; next < count; next++)
        {
            if (!events.TryGetEvent(next, out Event e) || e.BusIndex != 0) continue;
            if (e.Type != EventTypes.NoteOn && e.Type != EventTypes.NoteOff) continue;
            int offset = Math.Clamp(e.SampleOffset, 0, frames);
            if (offset >= end) break;
            if (rendered)
            {
                int local = offset - sliceStart;
                if (local > position)
                {
                    dsp.RenderRange(position, local);
                    position = local;
                }
            }
            if (e.Type == EventTypes.NoteOn)
                _engine.NoteOn(e.NoteOn.Pitch, e.NoteOn.Velocity, e.NoteOn.NoteId, e.NoteOn.Channel);
            else
                _engine.NoteOff(e.NoteOff.Pitch, e.NoteOff.NoteId, e.NoteOff.Channel);
        }
        return position;
    }

    private void ReadParameterChanges<T>(ProcessBlock block, SamplerDsp<T> dsp) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        bool changed = false;
        var changes = block.InputParameterChanges;
        int queues = changes.Count;
        for (int q = 0; q < queues; q++)
        {
            var queue = changes[q];
            if (!queue.IsAvailable || !Layout.TryGetIndex(queue.ParameterId, out int index) || Layout[index].IsReadOnly) continue;
            if (!queue.TryGetLastPoint(out _, out double value) || !double.IsFinite(value)) continue;
            Store[index] = value;
            changed = true;
        }
        int generation = Store.Generation;
        if (changed || generation != _seenGeneration)
        {
            _seenGeneration = generation;
            ApplyStoreToEngine(snap: false);
        }
        bool bypass = Store.GetPlain(BypassIndex) >= 0.5;
        if (bypass && !dsp.Bypassed) _engine.ReleaseAll();
        dsp.Bypassed = bypass;
    }

    private static readonly int BypassIndex = IndexOf(SamplerParameters.Bypass);
    private static readonly int VolumeIndex = IndexOf(SamplerParameters.Volume);
    private static readonly int CutoffIndex = IndexOf(SamplerParameters.Cutoff);
    private static readonly int ResonanceIndex = IndexOf(SamplerParameters.Resonance);
    private static readonly int ReleaseIndex = IndexOf(SamplerParameters.Release);

    private static int IndexOf(uint id) => SamplerParameters.Layout.TryGetIndex(id, out int i) ? i : throw new InvalidOperationException();

    private void ApplyStoreToEngine(bool snap)
    {
        _engine.SetVolume(Math.Pow(10, Store.GetPlain(VolumeIndex) / 20));
        _engine.SetCutoff(Store.GetPlain(CutoffIndex));
        _engine.SetResonance(Store.GetPlain(ResonanceIndex));
        _engine.SetRelease(Store.GetPlain(ReleaseIndex) / 1000);
        if (snap) _engine.Reset();
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
