using System.Numerics;
using NPlug.Buffers.Dsp;
using NPlug.Buffers.Pools;
using NPlug.Buffers.Interop.Framework;

namespace NPlug.Buffers.Plugin.Sampler;

/// <summary>
/// The Sampler's audio path at one precision. Notes start and stop at their sample offsets (audio is rendered up to
/// each event first); volume, cutoff, resonance and release take the block's last value and the engine smooths them.
/// </summary>
public sealed class SamplerDsp<T>(SamplerModel model) : AudioDsp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private bool _bypassed;
    private SharedSample? _sample; // the module's one copy of the default sample, held while prepared

    public SamplerEngine Engine { get; } = new();

    public override void Prepare(in DspSetup setup)
    {
        Engine.Prepare(setup.SampleRate);
        _sample ??= DefaultSample.AcquireShared();
        Engine.SetSampleSource(_sample, DefaultSample.RootNote);
        Engine.SetVolume(Math.Pow(10, setup.Plain(model.VolumeDb) / 20));
        Engine.SetCutoff(setup.Plain(model.CutoffHz));
        Engine.SetResonance(setup.Plain(model.Q));
        Engine.SetRelease(setup.Plain(model.ReleaseMs) / 1000);
        Engine.Reset();
        _bypassed = setup.Plain(model.BypassParameter!) >= 0.5;
    }

    public override DspResult Process(in ProcessContext<T> context)
    {
        var parameters = context.Parameters;
        if (parameters.AnyChanged)
        {
            Engine.SetVolume(Math.Pow(10, parameters.Plain(model.VolumeDb) / 20));
            Engine.SetCutoff(parameters.Plain(model.CutoffHz));
            Engine.SetResonance(parameters.Plain(model.Q));
            Engine.SetRelease(parameters.Plain(model.ReleaseMs) / 1000);
            bool bypass = parameters.Plain(model.BypassParameter!) >= 0.5;
            if (bypass && !_bypassed) Engine.ReleaseAll();
            _bypassed = bypass;
        }

        var output = context.MainOutput;
        for (int c = 0; c < output.ChannelCount; c++) VectorKernels.Clear(output[c]);
        int position = 0;
        foreach (var e in context.Events)
        {
            if (e.Offset > position && context.Frames > 0)
            {
                Engine.Render(output.Slice(position, Math.Min(e.Offset, context.Frames) - position));
                position = Math.Min(e.Offset, context.Frames);
            }
            if (e.Kind == NoteEventKind.NoteOn) Engine.NoteOn(e.Pitch, e.Velocity, e.NoteId, e.Channel);
            else Engine.NoteOff(e.Pitch, e.NoteId, e.Channel);
        }
        if (context.Frames > position) Engine.Render(output.Slice(position, context.Frames - position));
        context.SetMeter(model.VoicesMeter, Engine.ActiveVoiceCount);
        return DspResult.Ok;
    }

    public override void Reset() => Engine.Reset();

    public override void Dispose()
    {
        Engine.Reset();
        Engine.ReleaseScratch(); // voice buffers back to the module pool; it may shrink
        _sample?.Dispose();
        _sample = null;
        SharedBufferRegistry.Module.CollectRetired(); // free samples whose last voice ended on the audio thread
        base.Dispose();
    }
}
