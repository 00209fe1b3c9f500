namespace NPlugInstrument;

/// <summary>NPlugInstrument (Instrument|Synth): a polyphonic sine synth playing notes from one event input, stereo out.</summary>
public sealed class NPlugInstrumentModel : AudioPluginModel
{
    public const uint VolumeId = 0, BypassId = 1, ReleaseId = 2, PeakId = 100;

    // Class ids are fresh per `dotnet new`; never change them once released (saved sessions refer to them).
    public NPlugInstrumentModel() : base("NPlugInstrument", "7C4D2E1F-8A9B-4C0D-8E1F-2A3B4C5D6E01", "7C4D2E1F-8A9B-4C0D-8E1F-2A3B4C5D6E02", "Instrument|Synth", stateTag: 1)
    {
        Version = "1.0.0";
        Volume = AddParameter(AudioParameter.Linear(VolumeId, "Volume", -48, 6, -12, "dB"));
        AddBypassParameter(BypassId);      // the framework fades the output to silence
        Release = AddParameter(AudioParameter.Log(ReleaseId, "Release", 5, 5000, 200, "ms", decimals: 0));
        AddOutputPeakMeter(PeakId);
        AddAudioOutput("Output", SpeakerArrangement.Stereo);
        AddEventInput("Notes", 16);
    }

    public AudioParameter Volume { get; }
    public AudioParameter Release { get; }

    public override AudioDsp<T> CreateDsp<T>() => new NPlugInstrumentDsp<T>(this);

    // Runs before the host's first call into the module: registers the factory the VST3 exports serve.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() =>
        AudioPluginFactory.Register(new PluginFactoryDescription("NPlugTemplateVendor").Add(new NPlugInstrumentModel()));
}
