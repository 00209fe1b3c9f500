namespace NPlugEffect;

/// <summary>NPlugEffect (Fx): gain with a click-free bypass and an output peak meter, stereo in and out.</summary>
public sealed class NPlugEffectModel : AudioPluginModel
{
    public const uint GainId = 0, BypassId = 1, PeakId = 100;

    // Class ids are fresh per `dotnet new`; never change them once released (saved sessions refer to them).
    public NPlugEffectModel() : base("NPlugEffect", "3F1E6B2A-5C7D-4E8F-9A0B-1C2D3E4F5A01", "3F1E6B2A-5C7D-4E8F-9A0B-1C2D3E4F5A02", "Fx", stateTag: 1)
    {
        Version = "1.0.0";
        Gain = AddParameter(AudioParameter.Linear(GainId, "Gain", -48, 12, 0, "dB"));
        AddBypassParameter(BypassId);      // the framework crossfades to the dry input
        AddOutputPeakMeter(PeakId);        // the framework measures it after every block
        AddAudioInput("Input", SpeakerArrangement.Stereo);
        AddAudioOutput("Output", SpeakerArrangement.Stereo);
    }

    public AudioParameter Gain { get; }

    public override AudioDsp<T> CreateDsp<T>() => new NPlugEffectDsp<T>(this);

    // Runs before the host's first call into the module: registers the factory the VST3 exports serve.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() =>
        AudioPluginFactory.Register(new PluginFactoryDescription("NPlugTemplateVendor").Add(new NPlugEffectModel()));
}
