using System.Globalization;
using ScottPlot;
using ScottPlot.Plottables;

namespace OfflineRender.Plot;

/// <summary>
/// Draws an <see cref="EqResponse"/> with ScottPlot 5: magnitude in dB over a logarithmic frequency axis (the x data
/// are log10(Hz)), one dashed curve per enabled band and the sum in black. PNG or SVG by the file's extension.
/// </summary>
public static class EqPlot
{
    public const int Width = 900;
    public const int Height = 480;

    /// <summary>The legend text of the summed curve.</summary>
    public const string TotalLegend = "Total";

    public static ScottPlot.Plot Create(EqResponse response, string title)
    {
        PlotFonts.EnsureRegistered();
        var plot = new ScottPlot.Plot();
        PlotFonts.Apply(plot);
        double[] x = response.FrequenciesHz.Select(Math.Log10).ToArray();
        for (int b = 0; b < response.Bands.Count; b++)
        {
            if (!response.Bands[b].Enabled) continue;
            var band = plot.Add.ScatterLine(x, response.BandDb[b].Select(db => Math.Max(db, -DbRange(response) - 1)).ToArray());
            band.LegendText = $"Band {b + 1}: {response.Bands[b]}";
            band.LineWidth = 2f;
            band.Color = PlotColours.Band(b);
            // Shaded down to 0 dB, so a band stays visible where the sum runs on top of it.
            band.FillY = true;
            band.FillYValue = 0;
            band.FillYColor = PlotColours.Band(b).WithAlpha(0.18);
        }

        double range = DbRange(response);
        var total = plot.Add.ScatterLine(x, response.TotalDb.Select(db => Math.Max(db, -range - 1)).ToArray());
        total.LegendText = response.OutputGainDb != 0
            ? string.Create(CultureInfo.InvariantCulture, $"{TotalLegend} (output gain {response.OutputGainDb:+0.#;-0.#} dB)")
            : TotalLegend;
        total.LineWidth = 2f;
        total.Color = Colors.Black;

        plot.Axes.SetLimits(Math.Log10(EqResponse.MinFrequencyHz), Math.Log10(EqResponse.MaxFrequencyHz), -range, range);
        plot.Axes.Bottom.TickGenerator = FrequencyTicks.Create(EqResponse.MinFrequencyHz, EqResponse.MaxFrequencyHz);
        plot.Title(title);
        plot.XLabel("Frequency (Hz)");
        plot.YLabel("Magnitude (dB)");
        plot.ShowLegend(Alignment.LowerLeft);
        return plot;
    }

    /// <summary>Writes the plot as PNG or SVG (by extension); returns the full path written.</summary>
    public static string Write(EqResponse response, string path, string title) => PlotFiles.Save(Create(response, title), path, Width, Height);

    /// <summary>The summed curve as (Hz, dB), read back from the plot's own data series.</summary>
    public static List<(double Hz, double Db)> ReadTotal(ScottPlot.Plot plot) => ReadCurve(plot, p => p.LegendText.StartsWith(TotalLegend, StringComparison.Ordinal));

    /// <summary>A curve's points as (Hz, dB), chosen by its legend text.</summary>
    public static List<(double Hz, double Db)> ReadCurve(ScottPlot.Plot plot, Func<Scatter, bool> which) =>
        plot.GetPlottables().OfType<Scatter>().Single(which).Data.GetScatterPoints()
            .Select(p => (Math.Pow(10, p.X), p.Y)).ToList();

    /// <summary>
    /// A symmetric ±range in 6 dB steps that holds the whole curve: at least ±12 dB, at most ±30 (a notch's exact
    /// zero, −200 dB in the data, is drawn 1 dB below the bottom edge rather than stretching the axis).
    /// </summary>
    public static double DbRange(EqResponse response)
    {
        double extreme = 0;
        foreach (var db in response.TotalDb) extreme = Math.Max(extreme, Math.Abs(db));
        return Math.Min(Math.Max(12, Math.Ceiling((extreme + 1) / 6) * 6), 30);
    }
}
