using OfflineRender.Plot;

namespace NPlug.Buffers.Tests.Wav;

/// <summary>The averaged spectrum in dBFS, against analytic levels, and its plot.</summary>
public sealed class SpectrumTests
{
    private const int Rate = 48000;

    private static double[] Sine(double hz, double amplitude, int frames = Rate * 2) =>
        Enumerable.Range(0, frames).Select(i => amplitude * Math.Sin(2 * Math.PI * hz * i / Rate)).ToArray();

    [Fact]
    public void SineOnABinCentre_ReadsItsAmplitudeInDbfs()
    {
        double hz = 171 * (double)Rate / Spectrum.DefaultSegment; // 1001.95 Hz, exactly bin 171
        var spectrum = Spectrum.Compute([Sine(hz, 0.5)], Rate);
        var (at, level) = spectrum.PeakNear(1000);
        Assert.Equal(hz, at, 6);
        Assert.InRange(level, 20 * Math.Log10(0.5) - 0.05, 20 * Math.Log10(0.5) + 0.05); // -6.02 dBFS
        // Far from the tone, a Hann window's leakage is far down.
        Assert.True(spectrum.PeakNear(8000, 10).Dbfs < -100);
    }

    [Fact]
    public void SineBetweenBins_LosesAtMostTheHannScallopingLoss()
    {
        var spectrum = Spectrum.Compute([Sine(1000, 0.5), Sine(1000, 0.5)], Rate);
        double level = spectrum.PeakNear(1000).Dbfs;
        Assert.InRange(level, -6.02 - 1.43, -6.02 + 0.01);
        Assert.Equal((2 * Rate - Spectrum.DefaultSegment) / (Spectrum.DefaultSegment / 2) + 1, spectrum.Segments); // 50 % overlap
    }

    [Fact]
    public void Plot_DrawsInputAndOutput_AsPng()
    {
        using var dir = new TempDir();
        string path = dir.File("spectrum.png");
        var input = Spectrum.Compute([Sine(1000, 0.5)], Rate);
        var output = Spectrum.Compute([Sine(1000, 0.25)], Rate);
        var plot = SpectrumPlot.Create(input, output, Rate, "test");
        double inputAt1k = SpectrumPlot.ReadCurve(plot, SpectrumPlot.InputLegend).MinBy(p => Math.Abs(p.Hz - 1000)).Dbfs;
        double outputAt1k = SpectrumPlot.ReadCurve(plot, SpectrumPlot.OutputLegend).MinBy(p => Math.Abs(p.Hz - 1000)).Dbfs;
        Assert.Equal(20 * Math.Log10(0.5), outputAt1k - inputAt1k, 6); // a 6.02 dB cut reads as one

        SpectrumPlot.Write(input, output, Rate, path, "test");
        var png = Png.Read(path);
        Assert.Equal((SpectrumPlot.Width, SpectrumPlot.Height), (png.Width, png.Height));
        Assert.True(png.HasText);
    }

    [Fact]
    public void TextCheck_CanFail_OnAPlotWithoutATitle()
    {
        // The control for Png.HasText: no title, so the band above the plot area stays background.
        using var dir = new TempDir();
        string path = dir.File("untitled.png");
        var output = Spectrum.Compute([Sine(1000, 0.25)], Rate);
        var plot = SpectrumPlot.Create(null, output, Rate, "");
        plot.Title(false);
        PlotFiles.Save(plot, path, SpectrumPlot.Width, SpectrumPlot.Height);
        Assert.False(Png.Read(path).HasText);
    }
}
