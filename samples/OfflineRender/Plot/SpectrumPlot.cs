using MathNet.Numerics.IntegralTransforms;
using ScottPlot;
using ScottPlot.Plottables;

namespace OfflineRender.Plot;

/// <summary>
/// An averaged magnitude spectrum (Welch: Hann-windowed segments, 50 % overlap, power averaged over segments and
/// channels), scaled to dBFS so a full-scale sine peaks at 0 dBFS when it falls on a bin centre (Hann scalloping
/// lowers a tone between bins by up to 1.4 dB).
/// </summary>
public sealed class Spectrum
{
    public const int DefaultSegment = 8192;

    private Spectrum(double[] frequencies, double[] dbfs, int segments)
    {
        FrequenciesHz = frequencies;
        Dbfs = dbfs;
        Segments = segments;
    }

    /// <summary>Bin centre frequencies, 1 … N/2 (DC left out: it has no place on a log axis).</summary>
    public double[] FrequenciesHz { get; }

    public double[] Dbfs { get; }

    /// <summary>Segments averaged (per channel).</summary>
    public int Segments { get; }

    public static Spectrum Compute(double[][] channels, double sampleRate, int segment = DefaultSegment)
    {
        if (channels.Length == 0 || channels[0].Length == 0) throw new InvalidOperationException("No audio to analyse.");
        int frames = channels[0].Length;
        int n = Math.Min(segment, 1 << (int)Math.Floor(Math.Log2(Math.Max(frames, 2))));
        var window = new double[n];
        double windowSum = 0;
        for (int i = 0; i < n; i++)
        {
            window[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / n); // periodic Hann
            windowSum += window[i];
        }

        var power = new double[n / 2 + 1];
        var buffer = new System.Numerics.Complex[n];
        int hop = n / 2, segments = 0;
        foreach (var x in channels)
        {
            for (int start = 0; start + n <= x.Length; start += hop)
            {
                for (int i = 0; i < n; i++) buffer[i] = new System.Numerics.Complex(x[start + i] * window[i], 0);
                Fourier.Forward(buffer, FourierOptions.NoScaling);
                for (int k = 0; k <= n / 2; k++) power[k] += buffer[k].Real * buffer[k].Real + buffer[k].Imaginary * buffer[k].Imaginary;
                segments++;
            }
        }

        var frequencies = new double[n / 2];
        var dbfs = new double[n / 2];
        for (int k = 1; k <= n / 2; k++)
        {
            // A sine of amplitude A gives |X| = A * sum(w) / 2 at its bin.
            double amplitude = 2 * Math.Sqrt(power[k] / segments) / windowSum;
            frequencies[k - 1] = k * sampleRate / n;
            dbfs[k - 1] = 20 * Math.Log10(Math.Max(amplitude, 1e-12));
        }

        return new Spectrum(frequencies, dbfs, segments / channels.Length);
    }

    /// <summary>The largest level within ±<paramref name="bins"/> bins of <paramref name="hz"/>, and where it is.</summary>
    public (double Hz, double Dbfs) PeakNear(double hz, int bins = 3)
    {
        double step = FrequenciesHz[0];
        int centre = (int)Math.Round(hz / step) - 1;
        int best = Math.Clamp(centre, 0, Dbfs.Length - 1);
        for (int k = Math.Max(0, centre - bins); k <= Math.Min(Dbfs.Length - 1, centre + bins); k++)
            if (Dbfs[k] > Dbfs[best]) best = k;
        return (FrequenciesHz[best], Dbfs[best]);
    }
}

/// <summary>Input and output spectra of a render on one log-frequency plot (ScottPlot 5).</summary>
public static class SpectrumPlot
{
    public const int Width = 900;
    public const int Height = 480;
    public const string InputLegend = "Input";
    public const string OutputLegend = "Output";

    public static ScottPlot.Plot Create(Spectrum? input, Spectrum output, double sampleRate, string title)
    {
        PlotFonts.EnsureRegistered();
        var plot = new ScottPlot.Plot();
        PlotFonts.Apply(plot);
        if (input != null) Add(plot, input, InputLegend, Color.FromHex("#7f8c8d"), 1.2f);
        Add(plot, output, OutputLegend, Color.FromHex("#c0392b"), 1.5f);

        double top = Math.Min(sampleRate / 2, 20000);
        double peak = Math.Max(input?.Dbfs.Max() ?? -200, output.Dbfs.Max());
        double ceiling = Math.Max(0, Math.Ceiling(peak / 10) * 10);
        plot.Axes.SetLimits(Math.Log10(20), Math.Log10(top), ceiling - 140, ceiling + 5);
        plot.Axes.Bottom.TickGenerator = FrequencyTicks.Create(20, top);
        plot.Title(title);
        plot.XLabel("Frequency (Hz)");
        plot.YLabel("Level (dBFS)");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    public static string Write(Spectrum? input, Spectrum output, double sampleRate, string path, string title) =>
        PlotFiles.Save(Create(input, output, sampleRate, title), path, Width, Height);

    /// <summary>A curve's points as (Hz, dBFS), chosen by legend text ("Input" or "Output").</summary>
    public static List<(double Hz, double Dbfs)> ReadCurve(ScottPlot.Plot plot, string legend) =>
        plot.GetPlottables().OfType<Scatter>().Single(s => s.LegendText == legend).Data.GetScatterPoints()
            .Select(p => (Math.Pow(10, p.X), p.Y)).ToList();

    private static void Add(ScottPlot.Plot plot, Spectrum spectrum, string legend, Color colour, float width)
    {
        var line = plot.Add.ScatterLine(spectrum.FrequenciesHz.Select(Math.Log10).ToArray(), spectrum.Dbfs);
        line.LegendText = legend;
        line.Color = colour;
        line.LineWidth = width;
    }
}
