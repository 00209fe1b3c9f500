using System.Numerics;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Interop.Framework;

namespace NPlug.Buffers.Plugin.GainEq;

/// <summary>
/// NPlug GainEQ (Fx|EQ): output gain, a 4-band EQ, sidechain ducking and a bypass crossfade, on main stereo in/out
/// (mono, stereo, 5.1 and mono→stereo accepted) plus an inactive-by-default stereo sidechain. Ids, ranges and the
/// state tag are those of the first release, so saved sessions load.
/// </summary>
public sealed class GainEqModel : AudioPluginModel
{
    public const ushort StateClassTag = 1;
    public const uint OutputGain = 0, Bypass = 1, DuckDepth = 2, KeyFrequency = 3;
    public const int BandCount = 4;
    /// <summary>Band b (0-based) owns ids BandBase + b·BandStride + {Type, Frequency, Gain, Q, Enabled}.</summary>
    public const uint BandBase = 10, BandStride = 10;
    public const uint BandType = 0, BandFrequency = 1, BandGain = 2, BandQ = 3, BandEnabled = 4;
    public const uint OutputPeak = 100, GainReduction = 101;

    /// <summary>Filter types offered per band, in list order (plain value = index).</summary>
    public static readonly string[] BandTypeNames = ["Low Shelf", "Peaking", "High Shelf", "Low Pass", "High Pass", "Notch", "Band Pass", "All Pass"];

    /// <summary>
    /// Automation points per parameter per block the DSP keeps (one per 128 frames at 4096; more thin out, the last
    /// always kept): 64 instances hold 64 × 24 × (64 − 32) points less this way.
    /// </summary>
    public const int PointsPerParameter = 32;

    public static GainEqModel Instance { get; } = new();

    public static uint BandId(int band, uint field) => BandBase + (uint)band * BandStride + field;

    private GainEqModel() : base(PluginClasses.GainEqName, PluginClasses.GainEqProcessorId, PluginClasses.GainEqControllerId, "Fx|EQ", StateClassTag)
    {
        Version = PluginClasses.Version;
        BypassMode = BypassHandling.Dsp; // the chain crossfades sample-accurately itself
        MaxPointsPerParameter = PointsPerParameter - 2; // room for the two ramp-edge points a sliced block adds
        double[] frequencies = [100, 500, 2000, 8000];
        int[] types = [0, 1, 1, 2];
        AddParameter(AudioParameter.Linear(OutputGain, "Output Gain", -48, 24, 0, "dB", shortTitle: "Gain"));
        AddBypassParameter(Bypass);
        DuckDepthParameter = AddParameter(AudioParameter.Linear(DuckDepth, "Duck Depth", 0, 48, 0, "dB", shortTitle: "Duck"));
        AddParameter(AudioParameter.Log(KeyFrequency, "Key Filter Frequency", 20, 2000, 100, "Hz", decimals: 0, shortTitle: "Key"));
        for (int b = 0; b < BandCount; b++)
        {
            string n = (b + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            AddParameter(AudioParameter.List(BandId(b, BandType), $"Band {n} Type", BandTypeNames, types[b], $"B{n} Type"));
            AddParameter(AudioParameter.Log(BandId(b, BandFrequency), $"Band {n} Frequency", 20, 20000, frequencies[b], "Hz", decimals: 0, shortTitle: $"B{n} Freq"));
            AddParameter(AudioParameter.Linear(BandId(b, BandGain), $"Band {n} Gain", -24, 24, 0, "dB", shortTitle: $"B{n} Gain"));
            AddParameter(AudioParameter.Log(BandId(b, BandQ), $"Band {n} Q", 0.1, 18, 0.707, decimals: 3, shortTitle: $"B{n} Q"));
            AddParameter(AudioParameter.Toggle(BandId(b, BandEnabled), $"Band {n} On", defaultOn: true, shortTitle: $"B{n} On"));
        }
        AddOutputPeakMeter(OutputPeak);
        GainReductionMeter = AddParameter(AudioParameter.Meter(GainReduction, "Gain Reduction", 0, 48, "dB", shortTitle: "GR"));

        AddAudioInput("Input", SpeakerArrangement.Stereo);
        AddAudioInput("Sidechain", SpeakerArrangement.Stereo, BusType.Aux, defaultActive: false);
        AddAudioOutput("Output", SpeakerArrangement.Stereo);
    }

    public AudioParameter GainReductionMeter { get; }

    public AudioParameter DuckDepthParameter { get; }

    public override AudioDsp<T> CreateDsp<T>() => new GainEqDsp<T>(this);

    /// <summary>
    /// Main in/out mono→mono, stereo→stereo, 5.1→5.1 and mono→stereo (the mono input feeds both outputs); the sidechain
    /// accepts mono or stereo. Anything else is refused with the nearest supported pair: mono for one channel, stereo
    /// for up to four, 5.1 above.
    /// </summary>
    public override bool NegotiateArrangements(ReadOnlySpan<SpeakerArrangement> inputs, ReadOnlySpan<SpeakerArrangement> outputs,
        Span<SpeakerArrangement> chosenInputs, Span<SpeakerArrangement> chosenOutputs)
    {
        if (inputs.Length == 0 || outputs.Length != 1) return false;
        bool ok = IsSupportedPair(inputs[0], outputs[0]);
        var suggestion = BitOperations.PopCount(outputs[0].Speakers) switch
        {
            1 => SpeakerArrangement.Mono,
            <= 4 => SpeakerArrangement.Stereo,
            _ => SpeakerArrangement.Surround51,
        };
        chosenInputs[0] = ok ? inputs[0] : suggestion;
        chosenOutputs[0] = ok ? outputs[0] : suggestion;
        for (int i = 1; i < inputs.Length; i++)
        {
            bool auxOk = inputs[i] == SpeakerArrangement.Mono || inputs[i] == SpeakerArrangement.Stereo;
            chosenInputs[i] = auxOk ? inputs[i] : SpeakerArrangement.Stereo;
            ok &= auxOk;
        }
        return ok;
    }

    public static bool IsSupportedPair(SpeakerArrangement input, SpeakerArrangement output) =>
        (input == output && (input == SpeakerArrangement.Mono || input == SpeakerArrangement.Stereo || input == SpeakerArrangement.Surround51))
        || (input == SpeakerArrangement.Mono && output == SpeakerArrangement.Stereo);
}
