using NPlug.Buffers.Dsp;

namespace OfflineRender.Plot;

/// <summary>One EQ band as the user sets it (plain units).</summary>
public sealed record EqBand(FilterType Type, double FrequencyHz, double GainDb, double Q, bool Enabled = true)
{
    public BiquadCoefficients Design(double sampleRate) => BiquadDesign.Design(Type, FrequencyHz, Q, GainDb, sampleRate);

    public override string ToString() =>
        $"{Type} {FrequencyHz:0.#} Hz" + (Type is FilterType.Peaking or FilterType.LowShelf or FilterType.HighShelf ? $" {GainDb:+0.#;-0.#;0} dB" : "") + $" Q {Q:0.###}" + (Enabled ? "" : " (off)");
}

/// <summary>The magnitude response of an EQ (enabled bands in series plus an output gain), sampled on a log axis.</summary>
public sealed class EqResponse
{
    public const double MinFrequencyHz = 20.0;
    public const double MaxFrequencyHz = 20000.0;

    private EqResponse(double[] frequencies, double[] totalDb, double[][] bandDb, IReadOnlyList<EqBand> bands, double outputGainDb, double sampleRate)
    {
        FrequenciesHz = frequencies;
        TotalDb = totalDb;
        BandDb = bandDb;
        Bands = bands;
        OutputGainDb = outputGainDb;
        SampleRate = sampleRate;
    }

    /// <summary>Ascending frequencies: log-spaced 20 Hz–20 kHz plus every enabled band's own frequency.</summary>
    public double[] FrequenciesHz { get; }

    /// <summary>Overall magnitude in dB at each frequency.</summary>
    public double[] TotalDb { get; }

    /// <summary>Each band's own magnitude in dB (disabled bands are flat 0 dB).</summary>
    public double[][] BandDb { get; }

    public IReadOnlyList<EqBand> Bands { get; }

    public double OutputGainDb { get; }

    public double SampleRate { get; }

    /// <summary>
    /// Computes the response from <see cref="BiquadDesign"/>'s analytic H(e^jω). Band frequencies are added to the
    /// log grid so a bell's or notch's centre is plotted exactly, not interpolated between grid points.
    /// </summary>
    public static EqResponse Compute(IReadOnlyList<EqBand> bands, double outputGainDb, double sampleRate, int points = 600)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 2);
        var grid = new SortedSet<double>();
        for (int i = 0; i < points; i++)
            grid.Add(MinFrequencyHz * Math.Pow(MaxFrequencyHz / MinFrequencyHz, (double)i / (points - 1)));
        foreach (var band in bands)
            if (band.Enabled && band.FrequencyHz > MinFrequencyHz && band.FrequencyHz < MaxFrequencyHz) grid.Add(band.FrequencyHz);

        var frequencies = grid.ToArray();
        var total = new double[frequencies.Length];
        var perBand = new double[bands.Count][];
        for (int b = 0; b < bands.Count; b++)
        {
            perBand[b] = new double[frequencies.Length];
            if (!bands[b].Enabled) continue;
            var coefficients = bands[b].Design(sampleRate);
            for (int i = 0; i < frequencies.Length; i++)
            {
                // Clamp the floor so a notch's exact zero (−∞ dB) stays drawable.
                double db = Math.Max(BiquadDesign.MagnitudeDb(coefficients, frequencies[i], sampleRate), -200.0);
                perBand[b][i] = db;
                total[i] += db;
            }
        }

        for (int i = 0; i < total.Length; i++) total[i] += outputGainDb;
        return new EqResponse(frequencies, total, perBand, bands, outputGainDb, sampleRate);
    }

    /// <summary>The total response at <paramref name="frequencyHz"/>, interpolated linearly in log frequency.</summary>
    public double TotalDbAt(double frequencyHz)
    {
        int i = Array.BinarySearch(FrequenciesHz, frequencyHz);
        if (i >= 0) return TotalDb[i];
        i = ~i;
        if (i == 0) return TotalDb[0];
        if (i == FrequenciesHz.Length) return TotalDb[^1];
        double t = Math.Log(frequencyHz / FrequenciesHz[i - 1]) / Math.Log(FrequenciesHz[i] / FrequenciesHz[i - 1]);
        return TotalDb[i - 1] + t * (TotalDb[i] - TotalDb[i - 1]);
    }
}
