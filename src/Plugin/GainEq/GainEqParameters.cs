using NPlug.Buffers.Plugin.Parameters;

namespace NPlug.Buffers.Plugin.GainEq;

/// <summary>Parameter ids and layout of the GainEQ effect.</summary>
public static class GainEqParameters
{
    public const uint OutputGain = 0;
    public const uint Bypass = 1;
    public const uint DuckDepth = 2;
    public const uint KeyFrequency = 3;
    public const int BandCount = 4;
    /// <summary>Band b (0-based) owns ids BandBase + b·BandStride + {Type, Frequency, Gain, Q, Enabled}.</summary>
    public const uint BandBase = 10;
    public const uint BandStride = 10;
    public const uint BandType = 0, BandFrequency = 1, BandGain = 2, BandQ = 3, BandEnabled = 4;
    public const uint OutputPeak = 100;
    public const uint GainReduction = 101;

    /// <summary>Filter types offered per band, in list order (plain value = index).</summary>
    public static readonly string[] BandTypeNames = ["Low Shelf", "Peaking", "High Shelf", "Low Pass", "High Pass", "Notch", "Band Pass", "All Pass"];

    public static uint BandId(int band, uint field) => BandBase + (uint)band * BandStride + field;

    private static readonly double[] DefaultFrequencies = [100, 500, 2000, 8000];
    private static readonly int[] DefaultTypes = [0, 1, 1, 2];

    public static ParameterLayout Layout { get; } = CreateLayout();

    private static ParameterLayout CreateLayout()
    {
        const ParameterFlags automate = ParameterFlags.CanAutomate;
        var list = new List<ParameterDefinition>
        {
            new(OutputGain, "Output Gain", "Gain", "dB", ParameterScale.Linear, -48, 24, 0, automate),
            new(Bypass, "Bypass", "Byp", "", ParameterScale.Toggle, 0, 1, 0, automate | ParameterFlags.IsBypass),
            new(DuckDepth, "Duck Depth", "Duck", "dB", ParameterScale.Linear, 0, 48, 0, automate),
            new(KeyFrequency, "Key Filter Frequency", "Key", "Hz", ParameterScale.Logarithmic, 20, 2000, 100, automate, decimals: 0),
        };
        for (int b = 0; b < BandCount; b++)
        {
            string n = (b + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            list.Add(new(BandId(b, BandType), $"Band {n} Type", $"B{n} Type", "", ParameterScale.List, 0, BandTypeNames.Length - 1, DefaultTypes[b], automate, listEntries: BandTypeNames));
            list.Add(new(BandId(b, BandFrequency), $"Band {n} Frequency", $"B{n} Freq", "Hz", ParameterScale.Logarithmic, 20, 20000, DefaultFrequencies[b], automate, decimals: 0));
            list.Add(new(BandId(b, BandGain), $"Band {n} Gain", $"B{n} Gain", "dB", ParameterScale.Linear, -24, 24, 0, automate));
            list.Add(new(BandId(b, BandQ), $"Band {n} Q", $"B{n} Q", "", ParameterScale.Logarithmic, 0.1, 18, 0.707, automate, decimals: 3));
            list.Add(new(BandId(b, BandEnabled), $"Band {n} On", $"B{n} On", "", ParameterScale.Toggle, 0, 1, 1, automate));
        }
        list.Add(new(OutputPeak, "Output Peak", "Peak", "dB", ParameterScale.Linear, -120, 24, -120, ParameterFlags.IsReadOnly));
        list.Add(new(GainReduction, "Gain Reduction", "GR", "dB", ParameterScale.Linear, 0, 48, 0, ParameterFlags.IsReadOnly));
        return new ParameterLayout(list.ToArray());
    }
}
