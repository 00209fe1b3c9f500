using System.Diagnostics;

namespace NPlug.Buffers.Tests.Hosting;

/// <summary>
/// Builds tests/Fixtures/DpfGain (a gain plugin on DPF, i.e. NOT on our ABI layer) with make + g++ against
/// Debian's dpf-source (/usr/share/dpf, or $DPF_PATH) into artifacts/test/dpf. make only rebuilds when the sources
/// changed, so later runs reuse the bundle. When the toolchain is missing, <see cref="SkipReason"/> says why and
/// the tests marked <see cref="DpfFactAttribute"/> are skipped.
/// </summary>
public sealed class DpfGainFixture
{
    private static readonly Lazy<(string? Bundle, string? Error)> s_build = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string DpfPath => Environment.GetEnvironmentVariable("DPF_PATH") is { Length: > 0 } p ? p : "/usr/share/dpf";

    /// <summary>Null when the toolchain is present; otherwise a message naming what is missing.</summary>
    public static string? SkipReason { get; } = FindMissingTool();

    public string BundlePath
    {
        get
        {
            var (bundle, error) = s_build.Value;
            return bundle ?? throw new InvalidOperationException("Building the DpfGain fixture failed:\n" + error);
        }
    }

    private static string? FindMissingTool()
    {
        if (!OperatingSystem.IsLinux()) return "The DpfGain fixture is built with make/g++ on Linux only.";
        if (ToolPaths.FindOnPath("make") == null) return "make is not installed; skipping the DPF (foreign VST3) tests.";
        if (ToolPaths.FindOnPath("g++") == null) return "g++ is not installed; skipping the DPF (foreign VST3) tests.";
        if (!File.Exists(Path.Combine(DpfPath, "distrho", "DistrhoPluginMain.cpp")))
            return $"DPF sources not found at {DpfPath} (install Debian package dpf-source or set DPF_PATH); skipping the DPF tests.";
        return null;
    }

    private static (string?, string?) Build()
    {
        var source = Path.Combine(TestPaths.RepoRoot, "tests", "Fixtures", "DpfGain");
        var output = Path.Combine(TestPaths.ArtifactsTest, "dpf");
        Directory.CreateDirectory(output);
        var psi = new ProcessStartInfo("make")
        {
            WorkingDirectory = source,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add($"DPF_PATH={DpfPath}");
        psi.ArgumentList.Add($"OUT={output}");
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) return (null, stdout.Result + stderr);
        return (Path.Combine(output, "DpfGain.vst3"), null);
    }
}

/// <summary>A fact that is skipped, with the reason, when make/g++/DPF are missing.</summary>
public sealed class DpfFactAttribute : FactAttribute
{
    public DpfFactAttribute()
    {
        if (DpfGainFixture.SkipReason is { } reason) Skip = reason;
    }
}
