using System.Globalization;
using NPlug.Buffers.Interop.Abi;
using Spectre.Console;

namespace OfflineRender;

/// <summary>The summary table printed after a render.</summary>
public static class RenderSummary
{
    public static void Print(string plugin, string className, string input, string output, double sampleRate, int blockSize,
        double[][] inputAudio, RenderReport report, IReadOnlyList<string> parameterLines, IReadOnlyList<string>? pictures = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var facts = new Table().Title("Render").HideHeaders().AddColumns("", "");
        facts.AddRow("Plugin", Markup.Escape($"{className}  ({plugin})"));
        facts.AddRow("Input", Markup.Escape(input));
        facts.AddRow("Output", Markup.Escape(output));
        foreach (var picture in pictures ?? []) facts.AddRow("Picture", Markup.Escape(picture));
        foreach (var line in parameterLines) facts.AddRow("Parameter", Markup.Escape(line));
        facts.AddRow("Format", string.Create(inv, $"{sampleRate} Hz, block {blockSize}, {(report.SymbolicSampleSize == SymbolicSampleSizes.Sample64 ? "64" : "32")}-bit processing"));
        facts.AddRow("Latency", report.LatencySamples == 0 ? "0 samples" : string.Create(inv, $"{report.LatencySamples} samples, compensated (output shifted earlier)"));
        AnsiConsole.Write(facts);

        var levels = new Table().Title("Levels (dBFS)").AddColumn("Channel")
            .AddColumn(new TableColumn("In peak").RightAligned()).AddColumn(new TableColumn("In RMS").RightAligned())
            .AddColumn(new TableColumn("Out peak").RightAligned()).AddColumn(new TableColumn("Out RMS").RightAligned());
        int rows = Math.Max(inputAudio.Length, report.Output.Length);
        for (int c = 0; c < rows; c++)
        {
            string Cell(double[][] audio, Func<double[], double> measure) => c < audio.Length ? Db(measure(audio[c])) : "-";
            levels.AddRow(c.ToString(inv), Cell(inputAudio, Peak), Cell(inputAudio, Rms), Cell(report.Output, Peak), Cell(report.Output, Rms));
        }

        AnsiConsole.Write(levels);

        var timing = new Table().Title("Processing").HideHeaders().AddColumns("", "");
        timing.AddRow("Blocks", report.Blocks.ToString(inv));
        timing.AddRow("Real-time factor", string.Create(inv, $"{report.RealTimeFactor:0.0}x ({report.AudioSeconds:0.###} s of audio in {report.ProcessSeconds * 1000:0.##} ms of process calls)"));
        timing.AddRow("Process time per block", string.Create(inv, $"p50 {report.BlockPercentileMicroseconds(50):0.0} µs, p99 {report.BlockPercentileMicroseconds(99):0.0} µs"));
        // Measured on this (host) thread around each process call: the host shim's callbacks and any managed code of an
        // in-process plugin. A NativeAOT plugin has its own runtime and heap, which this counter cannot see.
        timing.AddRow("Allocated during processing", string.Create(inv,
            $"{report.AllocatedBytes} B in {report.BlocksThatAllocated} of {report.Blocks} blocks (first block {report.AllocatedBytesFirstBlock} B; host thread's managed heap)"));
        AnsiConsole.Write(timing);
    }

    public static double Peak(double[] x)
    {
        double p = 0;
        foreach (var v in x) p = Math.Max(p, Math.Abs(v));
        return p;
    }

    public static double Rms(double[] x)
    {
        if (x.Length == 0) return 0;
        double s = 0;
        foreach (var v in x) s += v * v;
        return Math.Sqrt(s / x.Length);
    }

    private static string Db(double linear) =>
        linear <= 1e-10 ? "-inf" : (20 * Math.Log10(linear)).ToString("0.00", CultureInfo.InvariantCulture);
}
