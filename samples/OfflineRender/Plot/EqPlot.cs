using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace OfflineRender.Plot;

/// <summary>
/// Pixel geometry of the plot: log frequency across, dB up. Public so a reader of the SVG can turn plotted
/// coordinates back into (Hz, dB).
/// </summary>
public sealed record EqPlotLayout(double Width, double Height, double Left, double Top, double Right, double Bottom, double DbRange)
{
    public double PlotWidth => Width - Left - Right;

    public double PlotHeight => Height - Top - Bottom;

    public double X(double frequencyHz) =>
        Left + PlotWidth * Math.Log(frequencyHz / EqResponse.MinFrequencyHz) / Math.Log(EqResponse.MaxFrequencyHz / EqResponse.MinFrequencyHz);

    public double Y(double db) => Top + PlotHeight * (DbRange - Math.Clamp(db, -DbRange, DbRange)) / (2 * DbRange);

    public double FrequencyAt(double x) =>
        EqResponse.MinFrequencyHz * Math.Pow(EqResponse.MaxFrequencyHz / EqResponse.MinFrequencyHz, (x - Left) / PlotWidth);

    public double DbAt(double y) => DbRange - (y - Top) * 2 * DbRange / PlotHeight;

    /// <summary>A symmetric ±range in 6 dB steps that holds the whole curve (at least ±12 dB).</summary>
    public static EqPlotLayout For(EqResponse response)
    {
        double extreme = 0;
        foreach (var db in response.TotalDb) extreme = Math.Max(extreme, Math.Abs(db));
        double range = Math.Max(12, Math.Ceiling((extreme + 1) / 6) * 6);
        return new EqPlotLayout(900, 460, 60, 40, 20, 50, Math.Min(range, 60));
    }
}

/// <summary>Renders an <see cref="EqResponse"/> as a self-contained SVG (and a PNG when a converter is installed).</summary>
public static class EqPlot
{
    /// <summary>The id of the polyline holding the total response.</summary>
    public const string TotalCurveId = "total-response";

    private static readonly double[] FrequencyTicks = [20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000];
    private static readonly string[] BandColours = ["#e4572e", "#29335c", "#17bebb", "#a1c349", "#f3a712", "#8e5572", "#5d737e", "#c0c0c0"];

    public static string ToSvg(EqResponse response, string title)
    {
        var layout = EqPlotLayout.For(response);
        var inv = CultureInfo.InvariantCulture;
        var svg = new StringBuilder();
        svg.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{layout.Width}\" height=\"{layout.Height}\" viewBox=\"0 0 {layout.Width} {layout.Height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(inv, $"<desc>EQ magnitude response, {EqResponse.MinFrequencyHz}-{EqResponse.MaxFrequencyHz} Hz (log), ±{layout.DbRange} dB, fs {response.SampleRate} Hz</desc>\n");
        svg.Append(inv, $"<rect width=\"{layout.Width}\" height=\"{layout.Height}\" fill=\"white\"/>\n");
        svg.Append(inv, $"<text x=\"{layout.Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>\n");

        double x0 = layout.Left, x1 = layout.Width - layout.Right, y0 = layout.Top, y1 = layout.Height - layout.Bottom;
        foreach (double f in FrequencyTicks)
        {
            double x = layout.X(f);
            svg.Append(inv, $"<line x1=\"{x:0.##}\" y1=\"{y0}\" x2=\"{x:0.##}\" y2=\"{y1}\" stroke=\"#ddd\"/>\n");
            svg.Append(inv, $"<text x=\"{x:0.##}\" y=\"{y1 + 16}\" text-anchor=\"middle\">{(f >= 1000 ? $"{f / 1000:0.#}k" : f.ToString(inv))}</text>\n");
        }

        double step = layout.DbRange > 24 ? 12 : 6;
        for (double db = -layout.DbRange; db <= layout.DbRange + 1e-9; db += step)
        {
            double y = layout.Y(db);
            svg.Append(inv, $"<line x1=\"{x0}\" y1=\"{y:0.##}\" x2=\"{x1}\" y2=\"{y:0.##}\" stroke=\"{(db == 0 ? "#999" : "#ddd")}\"/>\n");
            svg.Append(inv, $"<text x=\"{x0 - 6}\" y=\"{y + 4:0.##}\" text-anchor=\"end\">{db:+0;-0;0}</text>\n");
        }

        svg.Append(inv, $"<text x=\"{(x0 + x1) / 2}\" y=\"{layout.Height - 12}\" text-anchor=\"middle\">Frequency (Hz)</text>\n");
        svg.Append(inv, $"<text x=\"16\" y=\"{(y0 + y1) / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {(y0 + y1) / 2})\">Magnitude (dB)</text>\n");
        svg.Append(inv, $"<rect x=\"{x0}\" y=\"{y0}\" width=\"{layout.PlotWidth}\" height=\"{layout.PlotHeight}\" fill=\"none\" stroke=\"#555\"/>\n");

        for (int b = 0; b < response.Bands.Count; b++)
        {
            if (!response.Bands[b].Enabled) continue;
            string colour = BandColours[b % BandColours.Length];
            svg.Append(inv, $"<polyline id=\"band-{b + 1}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1\" stroke-dasharray=\"4 3\" points=\"");
            AppendPoints(svg, layout, response.FrequenciesHz, response.BandDb[b]);
            svg.Append("\"/>\n");
            svg.Append(inv, $"<text x=\"{x1 - 6}\" y=\"{y0 + 16 + 15 * b}\" text-anchor=\"end\" fill=\"{colour}\">Band {b + 1}: {Escape(response.Bands[b].ToString())}</text>\n");
        }

        svg.Append(inv, $"<polyline id=\"{TotalCurveId}\" fill=\"none\" stroke=\"#111\" stroke-width=\"2.2\" points=\"");
        AppendPoints(svg, layout, response.FrequenciesHz, response.TotalDb);
        svg.Append("\"/>\n");
        if (response.OutputGainDb != 0)
            svg.Append(inv, $"<text x=\"{x0 + 8}\" y=\"{y0 + 16}\">Output gain {response.OutputGainDb:+0.#;-0.#} dB</text>\n");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Writes the SVG; also a PNG beside it when rsvg-convert or ImageMagick is installed. Returns the PNG path or null.</summary>
    public static string? Write(EqResponse response, string svgPath, string title)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(svgPath));
        if (dir != null) Directory.CreateDirectory(dir);
        File.WriteAllText(svgPath, ToSvg(response, title));
        string png = Path.ChangeExtension(svgPath, ".png");
        if (TryRun("rsvg-convert", ["-o", png, svgPath]) || TryRun("convert", [svgPath, png]))
            return File.Exists(png) ? png : null;
        return null;
    }

    /// <summary>Reads a polyline's points back as (Hz, dB) through the layout used to draw it.</summary>
    public static List<(double Hz, double Db)> ReadCurve(string svg, string curveId, EqPlotLayout layout)
    {
        string marker = $"id=\"{curveId}\"";
        int at = svg.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) throw new InvalidDataException($"No polyline '{curveId}' in the SVG.");
        int start = svg.IndexOf("points=\"", at, StringComparison.Ordinal) + 8;
        int end = svg.IndexOf('"', start);
        var result = new List<(double, double)>();
        foreach (var pair in svg[start..end].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var xy = pair.Split(',');
            double x = double.Parse(xy[0], CultureInfo.InvariantCulture), y = double.Parse(xy[1], CultureInfo.InvariantCulture);
            result.Add((layout.FrequencyAt(x), layout.DbAt(y)));
        }

        return result;
    }

    private static void AppendPoints(StringBuilder svg, EqPlotLayout layout, double[] frequencies, double[] db)
    {
        for (int i = 0; i < frequencies.Length; i++)
        {
            if (i > 0) svg.Append(' ');
            svg.Append(CultureInfo.InvariantCulture, $"{layout.X(frequencies[i]):0.###},{layout.Y(db[i]):0.###}");
        }
    }

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static bool TryRun(string tool, string[] args)
    {
        try
        {
            var info = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in args) info.ArgumentList.Add(a);
            using var process = Process.Start(info);
            if (process == null) return false;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            if (!process.WaitForExit(30_000))
            {
                process.Kill();
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // tool not installed
        }
    }
}
