using System.Globalization;
using NPlug.Buffers.Hosting;
using NPlug.Buffers.Wav;
using OfflineRender;
using OfflineRender.Plot;

namespace NPlug.Buffers.Tests.Wav;

/// <summary>Sample-rate conversion with NAudio's WDL resampler, measured against the analytic sine.</summary>
public sealed class ResamplingTests(Xunit.Abstractions.ITestOutputHelper log)
{
    private static double[] Sine(int frames, double hz, int rate, double amplitude = 0.5) =>
        Enumerable.Range(0, frames).Select(i => amplitude * Math.Sin(2 * Math.PI * hz * i / rate)).ToArray();

    [Fact]
    public void Sinc_44k1To48k_KeepsLengthFrequencyAndPhase_WithThdnBelowMinus90dB()
    {
        const int frames = 44100 * 2 + 37;
        var output = Resampling.Resample([Sine(frames, 1000, 44100)], 44100, 48000);
        long expected = (long)Math.Round(frames * 48000.0 / 44100);
        Assert.InRange(output[0].Length, expected - 1, expected + 1);

        var fit = SineFit.Fit(output[0], 48000, 1000, skip: 2000);
        log.WriteLine($"sinc 44.1k->48k: {frames} -> {output[0].Length} frames (round = {expected}), f = {fit.FrequencyHz:0.0000} Hz, " +
            $"A = {fit.Amplitude:0.00000}, delay = {fit.DelaySamples:0.000} samples, THD+N = {fit.ThdnDb:0.0} dB");
        Assert.InRange(fit.FrequencyHz, 999, 1001);
        Assert.InRange(fit.Amplitude, 0.499, 0.501);
        Assert.InRange(fit.DelaySamples, -0.05, 0.05); // the sinc mode adds no delay
        Assert.True(fit.ThdnDb <= -90, $"THD+N {fit.ThdnDb:0.0} dB");
    }

    [Fact]
    public void Provider_AsShipped_IsMeasurablyWorse_AsDocumented()
    {
        const int frames = 44100 * 2;
        var output = Resampling.Resample([Sine(frames, 1000, 44100)], 44100, 48000, ResamplerQuality.Provider);
        Assert.Equal(96000, output[0].Length);
        var fit = SineFit.Fit(output[0], 48000, 1000, skip: 2000);
        log.WriteLine($"provider 44.1k->48k: f = {fit.FrequencyHz:0.0000} Hz, delay = {fit.DelaySamples:0.000} samples, THD+N = {fit.ThdnDb:0.0} dB");
        Assert.InRange(fit.FrequencyHz, 999, 1001);
        // Linear interpolation: the images alias back into the band. The README quotes about -62 dB.
        Assert.InRange(fit.ThdnDb, -66, -58);
    }

    [Theory]
    [InlineData(48000, 44100)]
    [InlineData(44100, 96000)]
    [InlineData(96000, 48000)]
    public void OtherRatePairs_KeepTheToneAndTheLength(int from, int to)
    {
        const int frames = 30000;
        var output = Resampling.Resample([Sine(frames, 1000, from), Sine(frames, 1000, from, 0.25)], from, to);
        Assert.Equal(2, output.Length);
        Assert.Equal(Resampling.OutputFrames(frames, from, to), output[1].Length);
        var left = SineFit.Fit(output[0], to, 1000, skip: 1000);
        var right = SineFit.Fit(output[1], to, 1000, skip: 1000);
        log.WriteLine($"sinc {from}->{to}: f = {left.FrequencyHz:0.0000} Hz, THD+N = {left.ThdnDb:0.0} dB");
        Assert.InRange(left.FrequencyHz, 999, 1001);
        Assert.InRange(right.Amplitude, 0.249, 0.251);
        Assert.True(left.ThdnDb <= -90, $"{from}->{to}: THD+N {left.ThdnDb:0.0} dB");
    }
}

/// <summary>
/// Renders a 44.1 kHz file at 48 kHz through OfflineRender (the program itself) with a plugin that reports latency:
/// the output is at 48 kHz, round(n x 48000/44100) frames long, aligned with the input, and the tone is clean.
/// </summary>
public sealed class ResampledRenderTests(Xunit.Abstractions.ITestOutputHelper log)
{
    [SkippableFact]
    public void Render_44k1File_At48k_ThroughOurBundle()
    {
        Skip.IfNot(Directory.Exists(OurBundleRenderTests.BundlePath), $"No bundle at {OurBundleRenderTests.BundlePath}; ./build.sh test builds it first.");
        using var dir = new TempDir();
        string input = dir.File("in-44k1.wav"), output = dir.File("out-48k.wav"), spectrum = dir.File("spectrum.png");
        const int frames = 44100 * 2 + 11;
        var tone = Enumerable.Range(0, frames).Select(i => 0.5 * Math.Sin(2 * Math.PI * 1000 * i / 44100.0)).ToArray();
        WavFile.Write(input, new WavFormat(44100, 2, WavSampleFormat.Float32), [tone, tone]);

        var (code, stdout, stderr) = OfflineRenderCli.Run("--plugin", OurBundleRenderTests.BundlePath, "--in", input, "--out", output,
            "--sample-rate", "48000", "--spectrum", spectrum);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("resampled 44100 -> 48000 Hz", stdout);
        Assert.Contains("Spectra:", stdout);
        Assert.True(File.Exists(spectrum));

        var rendered = WavFile.Read<double>(output);
        Assert.Equal(48000, rendered.Format.SampleRate);
        long expected = (long)Math.Round(frames * 48000.0 / 44100);
        Assert.InRange(rendered.FrameCount, expected - 1, expected + 1);
        var fit = SineFit.Fit(rendered.Channels[0], 48000, 1000, skip: 4800);
        log.WriteLine($"render 44.1k file at 48k: {frames} -> {rendered.FrameCount} frames (round = {expected}), f = {fit.FrequencyHz:0.0000} Hz, " +
            $"A = {fit.Amplitude:0.00000}, delay = {fit.DelaySamples:0.000} samples, THD+N = {fit.ThdnDb:0.0} dB; spectrum PNG {Png.Read(spectrum).Width}x{Png.Read(spectrum).Height}");
        Assert.InRange(fit.FrequencyHz, 999, 1001);
        Assert.True(fit.ThdnDb <= -90, $"THD+N {fit.ThdnDb:0.0} dB");
        // GainEQ at its defaults is flat: the output is the input in level and in time.
        Assert.InRange(fit.Amplitude, 0.49, 0.51);
        Assert.InRange(fit.DelaySamples, -0.5, 0.5);
        var png = Png.Read(spectrum);
        Assert.Equal((SpectrumPlot.Width, SpectrumPlot.Height), (png.Width, png.Height));
    }

    [Fact]
    public void LatencyCompensation_StillAligns_AfterResampling()
    {
        // A pure delay of 100 samples at 48 kHz, fed a 44.1 kHz sine resampled to 48 kHz: output == resampled input.
        using var module = LatencyCompensationTests.OpenDelay(100);
        using var plugin = module.CreatePlugin();
        const int frames = 44100;
        var source = Enumerable.Range(0, frames).Select(i => 0.5 * Math.Sin(2 * Math.PI * 1000 * i / 44100.0)).ToArray();
        var input = Resampling.Resample([source, source], 44100, 48000);
        var report = Renderer.Render(plugin, new RenderJob(input, input[0].Length, 48000, 256, [], [], false));
        Assert.Equal(100, report.LatencySamples);
        for (int i = 0; i < input[0].Length; i++) Assert.Equal((float)input[0][i], (float)report.Output[0][i]);
        var fit = SineFit.Fit(report.Output[0], 48000, 1000, skip: 2000);
        Assert.InRange(fit.DelaySamples, -0.05, 0.05);
    }
}

/// <summary>Least-squares fit of a sine near a known frequency; the residual is THD+N.</summary>
internal static class SineFit
{
    public readonly record struct Result(double FrequencyHz, double Amplitude, double DelaySamples, double ThdnDb);

    /// <summary>
    /// Fits a·sin + b·cos + dc at the frequency (refined by a golden-section search within ±2 Hz) over the samples
    /// after <paramref name="skip"/> and before the last <paramref name="skip"/>; THD+N = residual power / fitted power.
    /// DelaySamples is the lag of the fitted phase against sin(2πft) starting at sample 0.
    /// </summary>
    public static Result Fit(double[] x, double rate, double nominalHz, int skip)
    {
        double lo = nominalHz - 2, hi = nominalHz + 2;
        const double golden = 0.6180339887498949;
        for (int iteration = 0; iteration < 40; iteration++)
        {
            double m1 = hi - golden * (hi - lo), m2 = lo + golden * (hi - lo);
            if (Residual(x, rate, m1, skip).Residual < Residual(x, rate, m2, skip).Residual) hi = m2;
            else lo = m1;
        }

        double f = (lo + hi) / 2;
        var (residual, power, a, b) = Residual(x, rate, f, skip);
        double phase = Math.Atan2(b, a); // x ≈ A sin(ωt + phase)
        return new Result(f, Math.Sqrt(a * a + b * b), -phase / (2 * Math.PI * f) * rate, 10 * Math.Log10(residual / power));
    }

    private static (double Residual, double Power, double A, double B) Residual(double[] x, double rate, double f, int skip)
    {
        int from = skip, to = x.Length - skip;
        double ss = 0, sc = 0, cc = 0, s1 = 0, c1 = 0, n = to - from, xs = 0, xc = 0, x1 = 0;
        for (int i = from; i < to; i++)
        {
            double w = 2 * Math.PI * f * i / rate, s = Math.Sin(w), c = Math.Cos(w);
            ss += s * s; sc += s * c; cc += c * c; s1 += s; c1 += c;
            xs += x[i] * s; xc += x[i] * c; x1 += x[i];
        }

        // Normal equations for [a, b, dc].
        var m = new MathNet.Numerics.LinearAlgebra.Double.DenseMatrix(3, 3, [ss, sc, s1, sc, cc, c1, s1, c1, n]);
        var v = MathNet.Numerics.LinearAlgebra.Double.DenseVector.OfArray([xs, xc, x1]);
        var sol = m.Solve(v);
        double a = sol[0], b = sol[1], dc = sol[2], residual = 0, power = 0;
        for (int i = from; i < to; i++)
        {
            double w = 2 * Math.PI * f * i / rate, fitted = a * Math.Sin(w) + b * Math.Cos(w);
            power += fitted * fitted;
            double e = x[i] - fitted - dc;
            residual += e * e;
        }

        return (residual, power, a, b);
    }
}

/// <summary>Runs the OfflineRender program in-process (its top-level Main) and captures what it prints.</summary>
internal static class OfflineRenderCli
{
    private static readonly object Gate = new();

    public static (int Code, string StdOut, string StdErr) Run(params string[] args)
    {
        var entry = typeof(RenderOptions).Assembly.EntryPoint ?? throw new InvalidOperationException("OfflineRender has no entry point.");
        lock (Gate)
        {
            var (oldOut, oldErr) = (Console.Out, Console.Error);
            using var stdout = new StringWriter(CultureInfo.InvariantCulture);
            using var stderr = new StringWriter(CultureInfo.InvariantCulture);
            Console.SetOut(stdout);
            Console.SetError(stderr);
            // Spectre.Console keeps the writer it first saw; give it this run's, plain and wide, as in a CI log.
            var oldAnsi = Spectre.Console.AnsiConsole.Console;
            Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
            {
                Ansi = Spectre.Console.AnsiSupport.No,
                Out = new Spectre.Console.AnsiConsoleOutput(stdout),
            });
            Spectre.Console.AnsiConsole.Profile.Width = 200;
            try
            {
                int code = (int)entry.Invoke(null, [args])!;
                return (code, stdout.ToString(), stderr.ToString());
            }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
                Spectre.Console.AnsiConsole.Console = oldAnsi;
            }
        }
    }
}

/// <summary>What a user sees when a render cannot read its input: the file and the problem named, no output left behind.</summary>
public sealed class RenderFailureTests
{
    [SkippableFact]
    public void TruncatedInput_IsNamed_AndNoOutputFileIsWritten()
    {
        Skip.IfNot(Directory.Exists(OurBundleRenderTests.BundlePath), $"No bundle at {OurBundleRenderTests.BundlePath}; ./build.sh test builds it first.");
        using var dir = new TempDir();
        string input = dir.File("cut.wav"), output = dir.File("out.wav");
        var tone = Enumerable.Range(0, 4800).Select(i => 0.5 * Math.Sin(i * 0.1)).ToArray();
        WavFile.Write(input, new WavFormat(48000, 2, WavSampleFormat.Pcm16), [tone, tone]);
        byte[] bytes = File.ReadAllBytes(input);
        File.WriteAllBytes(input, bytes[..(bytes.Length / 2)]);

        var (code, stdout, stderr) = OfflineRenderCli.Run("--plugin", OurBundleRenderTests.BundlePath, "--in", input, "--out", output);
        Assert.Equal(1, code);
        Assert.Contains("Truncated WAV file", stderr);
        Assert.Contains(input, stderr);
        Assert.Contains("of 4800 frames", stderr);
        Assert.False(File.Exists(output), stdout);
        Assert.Single(Directory.GetFileSystemEntries(dir.Path)); // only the input: no temporary file either
    }
}
