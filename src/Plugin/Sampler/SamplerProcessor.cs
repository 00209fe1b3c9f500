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
    private SharedBufferRegistry? _samples;
    private SamplerDsp<float>? _dsp32;
    private SamplerDsp<double>? _dsp64;
    private int _seenGeneration = -1;

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
        // The default sample: generated once per initialize, shared by every voice through the registry.
        _samples ??= new SharedBufferRegistry();
        if (!_samples.Contains(DefaultSampleId))
        {
            var sample = _samples.Allocate(DefaultSampleId, 2, DefaultSample.FrameCount, DefaultSample.SampleRate);
            DefaultSample.CopyTo(sample.GetWritableChannel(0), sample.GetWritableChannel(1));
            _samples.Register(sample);
        }
        _engine.SetSampleSource(_samples, DefaultSampleId, DefaultSample.RootNote);
    }

    protected override void OnTerminate()
    {
        DisposeDsp();
        _engine.Reset();
        _samples?.Dispose();
        _samples = null;
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
        _engine.Reset();
        _samples?.CollectRetired(); // free samples whose last voice ended on the audio thread
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
        int frames = block.SampleCount;
        // The API layer already ran ValidateBlock for blocks with samples.
        int result = TResult.ResultOk;
        bool render = frames > 0;

        ReadParameterChanges(block, dsp);

        var output = block.Output(0);
        bool collected = false;
        if (render && AudioOutputs[0].IsActive && output.ChannelCount > 0)
        {
            var storage = dsp.Storage;
            storage.Clear();
            T** channels = HostChannels.Of<T>(output);
            var options = channels != null ? CollectOptions.WriteBackSubstitutes : CollectOptions.None;
            collected = storage.CollectOutput(0, channels, output.ChannelCount, frames, options) == CollectResult.Ok;
            if (collected) dsp.ClearOutput();
        }

        // Notes at their offsets: render up to each event, then apply it. Out-of-order offsets apply at once.
        int position = 0;
        var events = block.InputEvents;
        int count = events.Count;
        for (int i = 0; i < count; i++)
        {
            if (!events.TryGetEvent(i, out Event e) || e.BusIndex != 0) continue;
            if (e.Type != EventTypes.NoteOn && e.Type != EventTypes.NoteOff) continue;
            int offset = Math.Clamp(e.SampleOffset, 0, frames);
            if (collected && offset > position)
            {
                dsp.RenderRange(position, offset);
                position = offset;
            }
            if (e.Type == EventTypes.NoteOn)
                _engine.NoteOn(e.NoteOn.Pitch, e.NoteOn.Velocity, e.NoteOn.NoteId, e.NoteOn.Channel);
            else
                _engine.NoteOff(e.NoteOff.Pitch, e.NoteOff.NoteId, e.NoteOff.Channel);
        }
        if (!collected) return result;
        dsp.RenderRange(position, frames);
        dsp.Finish();

        double peak = dsp.OutputPeak;
        output.SilenceFlags = peak == 0 ? ChannelMask(output.ChannelCount) : 0;
        SetMeter(block, SamplerParameters.OutputPeak, peak > 0 ? 20 * Math.Log10(peak) : double.NegativeInfinity);
        SetMeter(block, SamplerParameters.ActiveVoices, _engine.ActiveVoiceCount);
        return TResult.ResultOk;
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
