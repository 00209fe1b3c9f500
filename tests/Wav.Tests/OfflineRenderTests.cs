using System.Diagnostics;
using NPlug.Buffers.Hosting;
using OfflineRender;

namespace NPlug.Buffers.Tests.Wav;

public sealed class OfflineRenderOptionTests
{
    [Theory]
    [InlineData("60", 60)]
    [InlineData("C4", 60)]
    [InlineData("A4", 69)]   // 440 Hz
    [InlineData("F#3", 54)]
    [InlineData("Bb2", 46)]
    [InlineData("C-1", 0)]
    [InlineData("G9", 127)]
    public void NoteNames_MapToMidiPitches(string name, int pitch) => Assert.Equal(pitch, NoteSequence.Pitch(name));

    [Theory]
    [InlineData("H4")]
    [InlineData("128")]
    [InlineData("G#9")]
    [InlineData("C")]
    public void BadNoteNames_AreRejected(string name) => Assert.Throws<OptionException>(() => NoteSequence.Pitch(name));

    [Fact]
    public void NoteSpec_ParsesStartLengthAndVelocity()
    {
        var notes = NoteSequence.Parse("C4@0+0.5, E4@0.5+0.25*0.3");
        Assert.Equal(new Note(60, 0, 0.5, 0.8f), notes[0]);
        Assert.Equal(new Note(64, 0.5, 0.25, 0.3f), notes[1]);
        Assert.Equal(0.75, NoteSequence.End(notes), 12);
        Assert.Throws<OptionException>(() => NoteSequence.Parse("C4@0"));
        Assert.Throws<OptionException>(() => NoteSequence.Parse("C4@0+0*0.5"));
        Assert.Throws<OptionException>(() => NoteSequence.Parse("C4@0+1*2"));
    }

    [Fact]
    public void Options_ParseEveryFlag()
    {
        var o = RenderOptions.Parse(["--plugin", "p.vst3", "--class=GainEQ", "--in", "a.wav", "--out", "b.wav",
            "--param", "Band 2 Gain=6 dB", "--param", "Output Gain=-3", "--block", "64", "--sample-rate", "44100",
            "--notes", "C4@0+1", "--double", "--plot", "eq.svg"]);
        Assert.Equal("p.vst3", o.PluginPath);
        Assert.Equal("GainEQ", o.ClassName);
        Assert.Equal(("Band 2 Gain", "6 dB"), o.Parameters[0]);
        Assert.Equal(("Output Gain", "-3"), o.Parameters[1]);
        Assert.Equal(64, o.BlockSize);
        Assert.Equal(44100, o.SampleRate);
        Assert.True(o.Double);
        Assert.False(o.PlotOnly);
        Assert.True(RenderOptions.Parse(["--plot", "eq.svg"]).PlotOnly);
        Assert.Equal(NPlug.Buffers.Wav.ResamplerQuality.Sinc, o.Resampler);

        var p = RenderOptions.Parse(["--plot", "eq.png", "--spectrum", "s.png", "--resampler", "provider"]);
        Assert.Equal("s.png", p.SpectrumPath);
        Assert.Equal(NPlug.Buffers.Wav.ResamplerQuality.Provider, p.Resampler);
        Assert.False(p.PlotOnly); // a spectrum needs a render
    }

    [Theory]
    [InlineData("--block", "0")]
    [InlineData("--block", "many")]
    [InlineData("--param", "NoEquals")]
    [InlineData("--bogus", "1")]
    [InlineData("--sample-rate", "NaN")]
    [InlineData("--sample-rate", "44100.5")]
    [InlineData("--resampler", "cubic")]
    public void BadOptions_AreRejectedWithAMessage(string option, string value)
    {
        var ex = Assert.Throws<OptionException>(() => RenderOptions.Parse([option, value]));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    [Fact]
    public void TestSignal_HasTheDocumentedLevels()
    {
        var x = TestSignal.Generate(2, 48000, 3);
        Assert.Equal(2, x.Length);
        Assert.Equal(144000, x[0].Length);
        // Sweep at -12 dBFS for two thirds, then a -6 dBFS tone: the peak is the tone's.
        Assert.InRange(RenderSummary.Peak(x[0]), 0.49, 0.502);
        Assert.InRange(RenderSummary.Peak(x[0].AsSpan(0, 90000).ToArray()), 0.24, 0.252);
    }
}

/// <summary>End-to-end: the renderer through a VST3 built with DPF (not our ABI layer), when the toolchain exists.</summary>
public sealed class OfflineRenderForeignPluginTests
{
    private static readonly Lazy<(string? Bundle, string? Reason)> Dpf = new(BuildDpfGain);

    [DpfFact]
    public void RendersThroughAForeignPlugin_WithItsOwnParameterStrings()
    {
        var (bundle, reason) = Dpf.Value;
        Assert.True(bundle != null, reason);

        using var module = PluginModule.Load(bundle);
        using var plugin = module.CreatePlugin(PluginSession.ResolveClass(module, null));
        var assigned = PluginSession.ResolveParameters(plugin, [("Gain", "-6")]);
        Assert.StartsWith("-6", assigned[0].Shown);

        const int frames = 10_000;
        var input = new[] { new double[frames], new double[frames] };
        for (int i = 0; i < frames; i++)
        {
            input[0][i] = 0.5 * Math.Sin(2 * Math.PI * 440 * i / 48000.0);
            input[1][i] = -input[0][i];
        }

        var job = new RenderJob(input, frames, 48000, 333, [], assigned.Select(a => (a.Parameter.Id, a.Normalized)).ToList(), false);
        var report = Renderer.Render(plugin, job);

        Assert.Equal(2, report.Output.Length);
        Assert.Equal((frames + 332) / 333, report.Blocks);
        double gain = Math.Pow(10, -6.0 / 20);
        for (int i = 2000; i < frames; i++) // after any parameter smoothing
        {
            Assert.Equal(input[0][i] * gain, report.Output[0][i], 3);
            Assert.Equal(input[1][i] * gain, report.Output[1][i], 3);
        }

        Assert.True(report.RealTimeFactor > 0);
        Assert.True(report.BlockPercentileMicroseconds(99) >= report.BlockPercentileMicroseconds(50));
    }

    internal static string DpfPath => Environment.GetEnvironmentVariable("DPF_PATH") is { Length: > 0 } p ? p : "/usr/share/dpf";

    private static (string?, string?) BuildDpfGain()
    {
        string root = RepoPaths.Root;
        // Own output folder: Interop.Tests builds the same fixture into artifacts/test/dpf, possibly at the same time.
        string output = Path.Combine(root, "artifacts", "test", "dpf-offline-render");
        string bundle = Path.Combine(output, "DpfGain.vst3");
        string dpf = DpfPath;
        try
        {
            var psi = new ProcessStartInfo("make") { WorkingDirectory = Path.Combine(root, "tests", "Fixtures", "DpfGain"), RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add($"DPF_PATH={dpf}");
            psi.ArgumentList.Add($"OUT={output}");
            using var make = Process.Start(psi)!;
            var stdout = make.StandardOutput.ReadToEndAsync();
            string stderr = make.StandardError.ReadToEnd();
            make.WaitForExit();
            return make.ExitCode == 0 ? (bundle, null) : (null, "make failed: " + stdout.Result + stderr);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (null, "make is not installed");
        }
    }
}

/// <summary>Skipped, with the reason, where the DPF fixture cannot be built (not Linux, or no DPF sources).</summary>
public sealed class DpfFactAttribute : FactAttribute
{
    public DpfFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "The DPF fixture (a VST3 not built on our ABI layer) builds on Linux only.";
        else if (!File.Exists(Path.Combine(OfflineRenderForeignPluginTests.DpfPath, "distrho", "DistrhoPluginMain.cpp")))
            Skip = $"DPF sources not found at {OfflineRenderForeignPluginTests.DpfPath} (Debian package dpf-source, or set DPF_PATH).";
        else if (ToolPaths.FindOnPath("make") == null || ToolPaths.FindOnPath("g++") == null)
            Skip = "make and g++ are needed to build the DPF fixture.";
    }
}
