using NPlug.Buffers.Hosting;
using OfflineRender;
using OfflineRender.Plot;

namespace NPlug.Buffers.Tests.Wav;

/// <summary>
/// The renderer and the EQ plot against our own bundle ($NPLUG_BUFFERS_BUNDLE, as ./build.sh test sets it, or
/// artifacts/NPlug.Buffers.vst3): what the plot says a band does is what the plugin does to a tone.
/// </summary>
public sealed class OurBundleRenderTests
{
    internal static string BundlePath =>
        Environment.GetEnvironmentVariable("NPLUG_BUFFERS_BUNDLE") is { Length: > 0 } env ? env : Path.Combine(RepoPaths.Root, "artifacts", "NPlug.Buffers.vst3");

    [BundleFact]
    public void SixDbBell_RaisesATone_AsMuchAsThePlotSays()
    {
        using var module = PluginModule.Load(BundlePath);
        using var plugin = module.CreatePlugin(PluginSession.ResolveClass(module, null));
        if (!GainEqSettings.LooksLikeGainEq(plugin.GetParameters()))
            Assert.Fail("The first processor class of our bundle should be GainEQ.");

        var assigned = PluginSession.ResolveParameters(plugin,
            [("Band 2 Type", "Peaking"), ("Band 2 Frequency", "1000"), ("Band 2 Gain", "6"), ("Band 2 Q", "1")]);
        var (bands, outputGain) = GainEqSettings.Read(plugin);
        double plotted = EqResponse.Compute(bands, outputGain, 48000).TotalDbAt(1000);
        Assert.InRange(plotted, 5.9, 6.1);

        const int frames = 48000;
        var tone = new double[frames];
        for (int i = 0; i < frames; i++) tone[i] = 0.25 * Math.Sin(2 * Math.PI * 1000 * i / 48000.0);
        var report = Renderer.Render(plugin, new RenderJob([tone, tone], frames, 48000, 256, [],
            assigned.Select(a => (a.Parameter.Id, a.Normalized)).ToList(), false));

        // Steady state (after smoothing and the filter's transient): the RMS ratio is the response at 1 kHz.
        double Rms(double[] x) => Math.Sqrt(x.Skip(24000).Sum(v => v * v) / (frames - 24000));
        double gainDb = 20 * Math.Log10(Rms(report.Output[0]) / Rms(tone));
        Assert.InRange(gainDb, plotted - 0.1, plotted + 0.1);
    }
}

/// <summary>Skipped, with the path, when our bundle has not been built.</summary>
public sealed class BundleFactAttribute : FactAttribute
{
    public BundleFactAttribute()
    {
        if (!Directory.Exists(OurBundleRenderTests.BundlePath))
            Skip = $"No bundle at {OurBundleRenderTests.BundlePath}; ./build.sh test builds it first.";
    }
}
