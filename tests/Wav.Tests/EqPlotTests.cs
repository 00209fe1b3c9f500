using NPlug.Buffers.Dsp;
using OfflineRender.Plot;

namespace NPlug.Buffers.Tests.Wav;

/// <summary>The EQ plot (ScottPlot): what is drawn is read back from the plot's own data series.</summary>
public sealed class EqPlotTests(Xunit.Abstractions.ITestOutputHelper log)
{
    private const double Fs = 48000;

    private static List<(double Hz, double Db)> PlotAndReadBack(EqResponse response) =>
        EqPlot.ReadTotal(EqPlot.Create(response, "test"));

    private static (double Hz, double Db) Nearest(List<(double Hz, double Db)> curve, double hz) =>
        curve.MinBy(p => Math.Abs(Math.Log(p.Hz / hz)));

    [Theory]
    [InlineData(1000.0, 1.0)]
    [InlineData(137.0, 4.0)]
    [InlineData(9500.0, 0.5)]
    public void SixDbBell_ReadsSixDbAtItsCentre_InThePlottedData(double centre, double q)
    {
        var response = EqResponse.Compute([new EqBand(FilterType.Peaking, centre, 6.0, q)], 0, Fs);
        var curve = PlotAndReadBack(response);

        // RBJ peaking EQ: |H| at the centre is exactly 10^(gain/20), i.e. the gain in dB.
        var atCentre = Nearest(curve, centre);
        log.WriteLine($"+6 dB bell at {centre} Hz, Q {q}: plotted {atCentre.Db:0.0000} dB at {atCentre.Hz:0.###} Hz");
        Assert.InRange(atCentre.Hz, centre * 0.999, centre * 1.001);
        Assert.InRange(atCentre.Db, 5.9, 6.1);

        // The centre is the top of the drawn curve, and the skirts fall back towards 0 dB.
        var top = curve.MaxBy(p => p.Db);
        Assert.InRange(top.Hz, centre * 0.98, centre * 1.02);
        Assert.True(Nearest(curve, centre / 8).Db < 1.0);
        if (centre * 8 < 20000) Assert.True(Nearest(curve, centre * 8).Db < 1.0);
        Assert.All(curve, p => Assert.InRange(p.Db, -0.05, 6.05));
    }

    [Fact]
    public void EachEnabledBand_AndTheSum_AreDrawn()
    {
        var response = EqResponse.Compute(
            [new EqBand(FilterType.LowShelf, 100, 4, 0.707), new EqBand(FilterType.Peaking, 1000, 6, 1), new EqBand(FilterType.Peaking, 5000, -3, 2, Enabled: false)],
            0, Fs);
        var plot = EqPlot.Create(response, "three bands");
        var bell = EqPlot.ReadCurve(plot, s => s.LegendText.StartsWith("Band 2", StringComparison.Ordinal));
        var shelf = EqPlot.ReadCurve(plot, s => s.LegendText.StartsWith("Band 1", StringComparison.Ordinal));
        Assert.InRange(Nearest(bell, 1000).Db, 5.99, 6.01);
        Assert.InRange(Nearest(shelf, 20).Db, 3.8, 4.01);
        Assert.DoesNotContain(plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>(), s => s.LegendText.StartsWith("Band 3", StringComparison.Ordinal));
        // The sum is the bands added in dB, point by point.
        var total = EqPlot.ReadTotal(plot);
        for (int i = 0; i < total.Count; i += 50) Assert.Equal(shelf[i].Db + bell[i].Db, total[i].Db, 9);
    }

    [Fact]
    public void Curve_CoversTwentyHertzToTwentyKilohertz_OnALogAxis()
    {
        var response = EqResponse.Compute([new EqBand(FilterType.LowShelf, 200, 6, 0.707)], -3, Fs);
        var plot = EqPlot.Create(response, "shelf");
        var curve = EqPlot.ReadTotal(plot);
        Assert.InRange(curve[0].Hz, 19.99, 20.01);
        Assert.InRange(curve[^1].Hz, 19990, 20010);
        // Log axis: the x data are log10(Hz), and the axis spans exactly the three decades.
        var limits = plot.Axes.GetLimits();
        Assert.Equal(Math.Log10(20), limits.Left, 9);
        Assert.Equal(Math.Log10(20000), limits.Right, 9);
        // Shelf +6 dB plus output -3 dB: +3 dB in the bass, -3 dB in the treble.
        Assert.InRange(Nearest(curve, 20).Db, 2.8, 3.1);
        Assert.InRange(Nearest(curve, 15000).Db, -3.1, -2.9);
    }

    [Fact]
    public void DisabledBands_AreFlat_AndNotchesStayDrawable()
    {
        var response = EqResponse.Compute(
            [new EqBand(FilterType.Peaking, 1000, 12, 1, Enabled: false), new EqBand(FilterType.Notch, 3000, 0, 4)], 0, Fs);
        var curve = PlotAndReadBack(response);
        Assert.InRange(Nearest(curve, 1000).Db, -0.2, 0.2);
        var notch = Nearest(curve, 3000);
        Assert.Equal(-31, notch.Db, 3); // drawn 1 dB below the bottom edge (±30 dB), not at -200 dB
        Assert.Equal(30, EqPlot.DbRange(response));
    }

    [Theory]
    [InlineData("eq.png")]
    [InlineData("eq.svg")]
    public void Write_ProducesAFileOfTheStatedKindAndSize(string name)
    {
        using var dir = new TempDir();
        string path = dir.File(name);
        var response = EqResponse.Compute([new EqBand(FilterType.Peaking, 1000, 6, 1)], 0, Fs);
        string written = EqPlot.Write(response, path, "Bell +6 dB at 1 kHz");
        Assert.Equal(Path.GetFullPath(path), written);
        Assert.Single(Directory.GetFiles(dir.Path)); // no temporary file left beside it
        if (name.EndsWith(".png", StringComparison.Ordinal))
        {
            var png = Png.Read(path);
            Assert.Equal((EqPlot.Width, EqPlot.Height), (png.Width, png.Height));
            Assert.True(png.HasText, "the PNG should carry text (title, tick labels): a font was found and used");
        }
        else
        {
            var doc = System.Xml.Linq.XDocument.Load(path); // well-formed, so any SVG viewer opens it
            Assert.Equal("svg", doc.Root!.Name.LocalName);
            Assert.Equal(EqPlot.Width.ToString(System.Globalization.CultureInfo.InvariantCulture), doc.Root.Attribute("width")?.Value);
        }
    }

    [Fact]
    public void Write_RefusesOtherExtensions_AndWritesNothing()
    {
        using var dir = new TempDir();
        var response = EqResponse.Compute([new EqBand(FilterType.Peaking, 1000, 6, 1)], 0, Fs);
        Assert.Throws<OfflineRender.OptionException>(() => EqPlot.Write(response, dir.File("eq.jpg"), "x"));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }
}
