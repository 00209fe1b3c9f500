using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Interop.Framework;

namespace NPlug.Buffers.Plugin.Sampler;

/// <summary>
/// NPlug Sampler (Instrument|Sampler): one stereo output, one event input, 32 voices playing one shared copy of the
/// default sample through a per-voice gain and low-pass filter. The framework gives null output channels internal
/// buffers and fades the output to silence on bypass.
/// </summary>
public sealed class SamplerModel : AudioPluginModel
{
    public const ushort StateClassTag = 2;
    public const uint Volume = 0, Bypass = 1, Cutoff = 2, Resonance = 3, Release = 4;
    public const uint OutputPeak = 100, ActiveVoices = 101;

    public static SamplerModel Instance { get; } = new();

    private SamplerModel() : base(PluginClasses.SamplerName, PluginClasses.SamplerProcessorId, PluginClasses.SamplerControllerId, "Instrument|Sampler", StateClassTag)
    {
        Version = PluginClasses.Version;
        VolumeDb = AddParameter(AudioParameter.Linear(Volume, "Volume", -48, 12, -6, "dB", shortTitle: "Vol"));
        AddBypassParameter(Bypass);
        CutoffHz = AddParameter(AudioParameter.Log(Cutoff, "Filter Cutoff", 20, 20000, 12000, "Hz", decimals: 0, shortTitle: "Cutoff"));
        Q = AddParameter(AudioParameter.Log(Resonance, "Filter Resonance", 0.5, 12, 0.707, decimals: 3, shortTitle: "Reso"));
        ReleaseMs = AddParameter(AudioParameter.Log(Release, "Release", 5, 5000, 200, "ms", decimals: 0, shortTitle: "Rel"));
        AddOutputPeakMeter(OutputPeak);
        VoicesMeter = AddParameter(AudioParameter.Meter(ActiveVoices, "Active Voices", 0, SamplerEngineLimits.MaxVoices, decimals: 0, shortTitle: "Voices"));
        AddAudioOutput("Output", SpeakerArrangement.Stereo);
        AddEventInput("Notes", 16);
    }

    public AudioParameter VolumeDb { get; }
    public AudioParameter CutoffHz { get; }
    public AudioParameter Q { get; }
    public AudioParameter ReleaseMs { get; }
    public AudioParameter VoicesMeter { get; }

    public override AudioDsp<T> CreateDsp<T>() => new SamplerDsp<T>(this);
}

/// <summary>Fixed sizes of the sampler engine.</summary>
public static class SamplerEngineLimits
{
    /// <summary>Voices allocated at activation; a note beyond this steals the oldest voice.</summary>
    public const int MaxVoices = 32;
}
