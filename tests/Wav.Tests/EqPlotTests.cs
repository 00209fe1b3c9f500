using NPlug.Buffers.Dsp;
using OfflineRender.Plot;

namespace NPlug.Buffers.Tests.Wav;

public sealed class EqPlotTests
{
    private const double Fs = 48000;

    private static List<(double Hz, double Db)> PlotAndReadBack(EqResponse response)
    {
        string svg = EqPlot.ToSvg(response, "test");
        return EqPlot.ReadCurve(svg, EqPlot.TotalCurveId, EqPlotLayout.For(response));
    }

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
    public void Curve_CoversTwentyHertzToTwentyKilohertz_OnALogAxis()
    {
        var response = EqResponse.Compute([new EqBand(FilterType.LowShelf, 200, 6, 0.707)], -3, Fs);
        var curve = PlotAndReadBack(response);
        Assert.InRange(curve[0].Hz, 19.99, 20.01);
        Assert.InRange(curve[^1].Hz, 19990, 20010);
        // Log axis: equal pixel steps are equal frequency ratios, so a decade takes a third of the width.
        var layout = EqPlotLayout.For(response);
        Assert.Equal(layout.PlotWidth / 3, layout.X(200) - layout.X(20), 6);
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
        Assert.Equal(-EqPlotLayout.For(response).DbRange, notch.Db, 3); // clamped to the bottom edge
    }

    [Fact]
    public void Write_ProducesSvg_AndPngWhenAConverterExists()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nplug-plot-" + Guid.NewGuid().ToString("N"));
        try
        {
            string svgPath = Path.Combine(dir, "eq.svg");
            var response = EqResponse.Compute([new EqBand(FilterType.Peaking, 1000, 6, 1)], 0, Fs);
            string? png = EqPlot.Write(response, svgPath, "Bell +6 dB at 1 kHz");
            string svg = File.ReadAllText(svgPath);
            Assert.StartsWith("<svg", svg);
            Assert.EndsWith("</svg>\n", svg);
            Assert.Contains(EqPlot.TotalCurveId, svg);
            var doc = System.Xml.Linq.XDocument.Parse(svg); // well-formed, so any SVG viewer opens it
            Assert.Equal("svg", doc.Root!.Name.LocalName);
            if (png != null)
            {
                byte[] header = File.ReadAllBytes(png)[..8];
                Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, header);
            }
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }
}
