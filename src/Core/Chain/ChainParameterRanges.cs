using NPlug.Buffers.Dsp;

namespace NPlug.Buffers.Chain;

/// <summary>Clamping of plain parameter values and the defaults the chain starts from.</summary>
public static class ChainParameterRanges
{
    public const double MinGainDb = -120, MaxGainDb = 24;
    public const double MaxDuckDepthDb = 96;
    public const double MinFrequencyHz = 10;
    public const double MinQ = 0.05, MaxQ = 40;
    public const double MinBandGainDb = -36, MaxBandGainDb = 36;

    /// <summary>Highest frequency a band or the key filter is tuned to, as a fraction of the sample rate.</summary>
    public const double MaxFrequencyRatio = 0.45;

    public static double ClampGainDb(double db) => Math.Clamp(db, MinGainDb, MaxGainDb);

    public static double ClampDuckDepthDb(double db) => Math.Clamp(Math.Abs(db), 0, MaxDuckDepthDb);

    public static double ClampFrequency(double hz, double sampleRate) =>
        Math.Clamp(hz, MinFrequencyHz, Math.Max(MinFrequencyHz, MaxFrequencyRatio * sampleRate));

    public static double ClampQ(double q) => Math.Clamp(q, MinQ, MaxQ);

    public static double ClampBandGainDb(double db) => Math.Clamp(db, MinBandGainDb, MaxBandGainDb);

    public static bool IsOn(double value) => value >= 0.5;

    public static FilterType ToFilterType(double value)
    {
        int max = (int)FilterType.AllPass;
        double v = double.IsFinite(value) ? Math.Round(value) : 0;
        return (FilterType)(int)Math.Clamp(v, 0, max);
    }

    /// <summary>dB to linear amplitude.</summary>
    public static double DbToGain(double db) => Math.Exp(db * (Math.Log(10) / 20));

    public static double DefaultValue(int parameterIndex)
    {
        switch (parameterIndex)
        {
            case (int)ChainParameter.GainDb: return 0;
            case (int)ChainParameter.DuckDepthDb: return 0;
            case (int)ChainParameter.KeyFrequencyHz: return 100;
            case (int)ChainParameter.Bypass: return 0;
        }
        int band = (parameterIndex - ChainAutomation.GlobalParameterCount) / ChainAutomation.FieldsPerBand;
        var field = (BandField)((parameterIndex - ChainAutomation.GlobalParameterCount) % ChainAutomation.FieldsPerBand);
        return field switch
        {
            BandField.Type => (double)FilterType.Peaking,
            BandField.FrequencyHz => 100 * Math.Pow(4, band), // 100, 400, 1600, 6400, ...
            BandField.Q => 0.7071067811865476,
            BandField.GainDb => 0,
            _ => 0, // Enabled: off
        };
    }
}
