using System.Diagnostics;

namespace NPlug.Buffers.Tests.Abi;

/// <summary>
/// The NativeAOT-published test plugin as a .vst3 bundle under artifacts/test. Published on first use
/// (and again when the test plugin assembly is newer than the bundle); later runs reuse it.
/// </summary>
public static class TestPluginBundle
{
    private static readonly object s_gate = new();
    private static string? s_error;
    private static bool s_done;

    public const string Name = "NPlug.Buffers.TestPlugin";

    /// <summary>Why the bundle cannot be built here (not linux-x64), or null.</summary>
    public static string? SkipReason { get; } =
        OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64
            ? null
            : "The NativeAOT test bundle is only built on linux-x64.";

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string BundlePath => Path.Combine(RepoRoot, "artifacts", "test", Name + ".vst3");

    public static string BinaryPath => Path.Combine(BundlePath, "Contents", "x86_64-linux", Name + ".so");

    /// <summary>Publishes the test plugin if needed and returns the bundle directory. Throws with the publish log on failure.</summary>
    public static string EnsurePublished()
    {
        if (SkipReason is not null) throw new InvalidOperationException(SkipReason);
        lock (s_gate)
        {
            if (s_error is not null) throw new InvalidOperationException(s_error);
            if (s_done) return BundlePath;
            bool stale = !File.Exists(BinaryPath) || File.GetLastWriteTimeUtc(BinaryPath) < NewestSourceWrite();
            if (stale)
            {
                var project = Path.Combine(RepoRoot, "tests", "TestPlugin", "NPlug.Buffers.TestPlugin.csproj");
                var (code, output) = Run("dotnet", $"publish \"{project}\" -c Release -r linux-x64 -nologo");
                if (code != 0 || !File.Exists(BinaryPath))
                {
                    s_error = $"dotnet publish of the test plugin failed ({code}):\n{output}";
                    throw new InvalidOperationException(s_error);
                }
            }
            s_done = true;
            return BundlePath;
        }
    }

    // The bundle is rebuilt when any source it is compiled from is newer (test-bin copies of the
    // assembly get fresh timestamps on every build, so they are no measure).
    private static DateTime NewestSourceWrite()
    {
        var newest = DateTime.MinValue;
        foreach (var dir in new[] { "tests/TestPlugin", "src/Interop", "src/Core" })
        {
            var root = Path.Combine(RepoRoot, dir);
            if (!Directory.Exists(root)) continue;
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                var rel = Path.GetRelativePath(root, file);
                if (rel.StartsWith("bin", StringComparison.Ordinal) || rel.StartsWith("obj", StringComparison.Ordinal)) continue;
                if (!(file.EndsWith(".cs") || file.EndsWith(".csproj") || file.EndsWith(".targets") || file.EndsWith(".props"))) continue;
                var t = File.GetLastWriteTimeUtc(file);
                if (t > newest) newest = t;
            }
        }
        return newest;
    }

    public static (int ExitCode, string Output) Run(string file, string arguments, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoRoot,
        };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Cannot start {file}.");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            p.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "NPlug.Buffers.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("NPlug.Buffers.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fact that needs the NativeAOT test bundle (linux-x64).</summary>
public sealed class TestBundleFactAttribute : FactAttribute
{
    public TestBundleFactAttribute()
    {
        if (TestPluginBundle.SkipReason is { } reason) Skip = reason;
    }
}

/// <summary>A fact that needs the bundle and a C toolchain.</summary>
public sealed class TestBundleWithGccFactAttribute : FactAttribute
{
    public TestBundleWithGccFactAttribute()
    {
        if (TestPluginBundle.SkipReason is { } reason) Skip = reason;
        else if (ToolPaths.FindOnPath("gcc") is null) Skip = "gcc not found on PATH: the C smoke test needs it.";
    }
}
