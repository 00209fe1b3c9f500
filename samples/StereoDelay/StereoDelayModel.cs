namespace StereoDelay;

/// <summary>
/// StereoDelay (Fx|Delay): a delay per channel, 0–2000 ms, with feedback and a dry/wet mix, all sample-accurate;
/// bypass is the framework's crossfade, the output peak meter the framework's measurement.
/// </summary>
public sealed class StereoDelayModel : AudioPluginModel
{
    public const uint TimeId = 0, FeedbackId = 1, MixId = 2, BypassId = 3, PeakId = 100;
    public const double MaxTimeMs = 2000;

    public StereoDelayModel() : base("StereoDelay", "A4F7C2D1-6B3E-4F58-9C0A-7D2E5B1F3A01", "A4F7C2D1-6B3E-4F58-9C0A-7D2E5B1F3A02", "Fx|Delay", stateTag: 1)
    {
        Version = "1.0.0";
        Time = AddParameter(AudioParameter.Linear(TimeId, "Time", 0, MaxTimeMs, 250, "ms", decimals: 1));
        Feedback = AddParameter(AudioParameter.Linear(FeedbackId, "Feedback", 0, 95, 30, "%"));
        Mix = AddParameter(AudioParameter.Linear(MixId, "Mix", 0, 100, 50, "%"));
        AddBypassParameter(BypassId);
        AddOutputPeakMeter(PeakId);
        AddAudioInput("Input", SpeakerArrangement.Stereo);
        AddAudioOutput("Output", SpeakerArrangement.Stereo);
    }

    public AudioParameter Time { get; }
    public AudioParameter Feedback { get; }
    public AudioParameter Mix { get; }

    /// <summary>Repeats ring on after the input stops (feedback up to 95 %), so the tail is unbounded.</summary>
    public override uint GetTailSamples(double sampleRate) => uint.MaxValue;

    public override AudioDsp<T> CreateDsp<T>() => new StereoDelayDsp<T>(this);

#pragma warning disable CA2255 // NativeAOT runs it before the first export call: what module initializers are for
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() =>
        AudioPluginFactory.Register(new PluginFactoryDescription("NPlug.Buffers").Add(new StereoDelayModel()));
}
