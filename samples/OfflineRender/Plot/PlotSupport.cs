using System.Globalization;
using ScottPlot;

namespace OfflineRender.Plot;

/// <summary>Saving by extension: .png (raster, for terminals, CI logs and READMEs) or .svg.</summary>
public static class PlotFiles
{
    public static string Save(ScottPlot.Plot plot, string path, int width, int height)
    {
        string full = Path.GetFullPath(path);
        string extension = Path.GetExtension(full).ToLowerInvariant();
        if (extension is not (".png" or ".svg"))
            throw new OptionException($"'{path}': plots are written as .png or .svg.");
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // Like the WAV writer: a temporary file renamed into place, so a failure leaves no half picture.
        string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp{extension}");
        try
        {
            if (extension == ".png") plot.SavePng(temp, width, height);
            else plot.SaveSvg(temp, width, height);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }

        return full;
    }
}

/// <summary>Log-frequency ticks for an x axis whose data are log10(Hz): labelled 20, 50, 100 … 20k, minor ticks between.</summary>
public static class FrequencyTicks
{
    public static ScottPlot.TickGenerators.NumericManual Create(double minHz, double maxHz)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (double decade = 1; decade <= 100000; decade *= 10)
        {
            for (int m = 1; m <= 9; m++)
            {
                double f = m * decade;
                if (f < minHz * 0.999 || f > maxHz * 1.001) continue;
                if (m is 1 or 2 or 5) ticks.AddMajor(Math.Log10(f), Label(f));
                else ticks.AddMinor(Math.Log10(f));
            }
        }

        return ticks;
    }

    public static string Label(double hz) =>
        hz >= 1000 ? (hz / 1000).ToString("0.#", CultureInfo.InvariantCulture) + "k" : hz.ToString("0", CultureInfo.InvariantCulture);
}

public static class PlotColours
{
    private static readonly string[] Bands = ["#e4572e", "#29335c", "#17bebb", "#a1c349", "#f3a712", "#8e5572", "#5d737e", "#808080"];

    public static Color Band(int b) => Color.FromHex(Bands[b % Bands.Length]);
}

/// <summary>
/// Text needs a font file: SkiaSharp's NoDependencies Linux build asks no fontconfig, so on a bare machine or CI
/// runner its default typeface can be empty. We register the first TrueType sans font found on the system (DejaVu
/// or Liberation from the distribution, the Windows/macOS system fonts) under one family name.
/// </summary>
public static class PlotFonts
{
    public const string Family = "NPlugSans";

    private static readonly Lazy<string?> Registered = new(Register);

    /// <summary>The font file in use, or null when none was found (ScottPlot's default then applies).</summary>
    public static string? FontFile => Registered.Value;

    public static readonly string[] Candidates =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
        "/System/Library/Fonts/Supplemental/Arial.ttf",
        "/Library/Fonts/Arial.ttf",
        @"C:\Windows\Fonts\arial.ttf",
    ];

    public static void EnsureRegistered() => _ = Registered.Value;

    public static void Apply(ScottPlot.Plot plot)
    {
        if (FontFile != null) plot.Font.Set(Family);
    }

    private static string? Register()
    {
        string? file = Environment.GetEnvironmentVariable("NPLUG_PLOT_FONT") is { Length: > 0 } env && File.Exists(env)
            ? env
            : Candidates.FirstOrDefault(File.Exists);
        if (file == null) return null;
        Fonts.AddFontFile(Family, file);
        Fonts.AddFontFile(Family, file, bold: true);
        return file;
    }
}
