using NPlug.Buffers.Plugin.Parameters;

namespace NPlug.Buffers.Plugin.Sampler;

/// <summary>Parameter ids and layout of the Sampler instrument.</summary>
public static class SamplerParameters
{
    public const uint Volume = 0;
    public const uint Bypass = 1;
    public const uint Cutoff = 2;
    public const uint Resonance = 3;
    public const uint Release = 4;
    public const uint OutputPeak = 100;
    public const uint ActiveVoices = 101;

    public static ParameterLayout Layout { get; } = new(
        new ParameterDefinition(Volume, "Volume", "Vol", "dB", ParameterScale.Linear, -48, 12, -6, ParameterFlags.CanAutomate),
        new ParameterDefinition(Bypass, "Bypass", "Byp", "", ParameterScale.Toggle, 0, 1, 0, ParameterFlags.CanAutomate | ParameterFlags.IsBypass),
        new ParameterDefinition(Cutoff, "Filter Cutoff", "Cutoff", "Hz", ParameterScale.Logarithmic, 20, 20000, 12000, ParameterFlags.CanAutomate, decimals: 0),
        new ParameterDefinition(Resonance, "Filter Resonance", "Reso", "", ParameterScale.Logarithmic, 0.5, 12, 0.707, ParameterFlags.CanAutomate, decimals: 3),
        new ParameterDefinition(Release, "Release", "Rel", "ms", ParameterScale.Logarithmic, 5, 5000, 200, ParameterFlags.CanAutomate, decimals: 0),
        new ParameterDefinition(OutputPeak, "Output Peak", "Peak", "dB", ParameterScale.Linear, -120, 24, -120, ParameterFlags.IsReadOnly),
        new ParameterDefinition(ActiveVoices, "Active Voices", "Voices", "", ParameterScale.Linear, 0, SamplerEngineLimits.MaxVoices, 0, ParameterFlags.IsReadOnly, decimals: 0));
}

/// <summary>Fixed sizes of the sampler engine.</summary>
public static class SamplerEngineLimits
{
    /// <summary>Voices allocated at activation; a note beyond this steals the oldest voice.</summary>
    public const int MaxVoices = 32;
}
