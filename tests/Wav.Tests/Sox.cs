using System.Diagnostics;
using System.Globalization;

namespace NPlug.Buffers.Tests.Wav;

/// <summary>Runs the sox command-line tool, the independent WAV writer/reader these tests compare against.</summary>
internal static class Sox
{
    private static readonly Lazy<bool> Available = new(() =>
    {
        try
        {
            var (code, _, _) = Run("--version");
            return code == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    public static bool IsAvailable => Available.Value;

    public static (int ExitCode, string StdOut, string StdErr) Run(params string[] args)
    {
        var info = new ProcessStartInfo("sox") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }

    public static void RunChecked(params string[] args)
    {
        var (code, _, err) = Run(args);
        Assert.True(code == 0, $"sox {string.Join(' ', args)} failed ({code}): {err}");
    }

    /// <summary>The overall value of one row of sox's <c>stats</c> effect (e.g. "Pk lev dB").</summary>
    public static double Stat(string path, string row)
    {
        var (code, _, err) = Run(path, "-n", "stats");
        Assert.True(code == 0, err);
        foreach (var line in err.Split('\n'))
        {
            if (!line.StartsWith(row, StringComparison.Ordinal)) continue;
            var fields = line[row.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return double.Parse(fields[0], CultureInfo.InvariantCulture);
        }

        throw new InvalidOperationException($"sox stats printed no '{row}' row:\n{err}");
    }
}

/// <summary>A fact that reports itself skipped, with the reason, when sox is not installed.</summary>
public sealed class SoxFactAttribute : FactAttribute
{
    public SoxFactAttribute()
    {
        if (!Sox.IsAvailable) Skip = "sox is not installed (apt-get install sox); tests against sox-made files were skipped.";
    }
}

/// <summary>A theory that reports itself skipped, with the reason, when sox is not installed.</summary>
public sealed class SoxTheoryAttribute : TheoryAttribute
{
    public SoxTheoryAttribute()
    {
        if (!Sox.IsAvailable) Skip = "sox is not installed (apt-get install sox); tests against sox-made files were skipped.";
    }
}

/// <summary>A temporary directory removed after the test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nplug-wav-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Measurements of a known signal, computed directly from samples.</summary>
internal static class Signal
{
    public static double Peak(double[] x)
    {
        double p = 0;
        foreach (var v in x) p = Math.Max(p, Math.Abs(v));
        return p;
    }

    public static double Rms(double[] x)
    {
        double s = 0;
        foreach (var v in x) s += v * v;
        return Math.Sqrt(s / x.Length);
    }

    /// <summary>Frequency from the span between the first and last upward zero crossing (interpolated).</summary>
    public static double Frequency(double[] x, int sampleRate)
    {
        double first = -1, last = -1;
        int cycles = -1;
        for (int i = 1; i < x.Length; i++)
        {
            if (x[i - 1] < 0 && x[i] >= 0)
            {
                double t = i - 1 + (-x[i - 1] / (x[i] - x[i - 1]));
                if (first < 0) first = t;
                last = t;
                cycles++;
            }
        }

        return cycles <= 0 ? 0 : cycles * sampleRate / (last - first);
    }
}
