using System.Diagnostics;

namespace NPlug.Buffers.Benchmarks.Plugin;

/// <summary>
/// Where the plugin-level benchmarks find their bundles, and how they get built when missing.
/// GainEQ: <c>artifacts/NPlug.Buffers.vst3</c> (or <c>$NPLUG_BUFFERS_BUNDLE</c>), built by <c>./build.sh bundle</c>.
/// Baseline gain plugin: <c>artifacts/test/NPlug.Buffers.TestPlugin.vst3</c> (tests/TestPlugin, NativeAOT, on the same ABI
/// layer), published with <c>dotnet publish tests/TestPlugin -c Release -r linux-x64</c>.
/// <see cref="EnsureBuilt"/> runs in the BenchmarkDotNet host process before any benchmark; the benchmark processes
/// only check (<see cref="Require"/>) and fail with the path and the command when a bundle is absent: never a silent skip.
/// </summary>
public static class PluginBundles
{
    public const string GainEqEnvironment = "NPLUG_BUFFERS_BUNDLE";
    public const string TestGainEnvironment = "NPLUG_BUFFERS_TESTGAIN_BUNDLE";

    public static string RepoRoot => s_repoRoot ??= FindRepoRoot();
    private static string? s_repoRoot;

    public static string GainEqBundle =>
        Environment.GetEnvironmentVariable(GainEqEnvironment) is { Length: > 0 } p ? p : Path.Combine(RepoRoot, "artifacts", "NPlug.Buffers.vst3");

    public static string TestGainBundle =>
        Environment.GetEnvironmentVariable(TestGainEnvironment) is { Length: > 0 } p ? p : Path.Combine(RepoRoot, "artifacts", "test", "NPlug.Buffers.TestPlugin.vst3");

    private static string Binary(string bundle, string stem) => Path.Combine(bundle, "Contents", "x86_64-linux", stem + ".so");

    public static string GainEqBinary => Binary(GainEqBundle, "NPlug.Buffers");

    public static string TestGainBinary => Binary(TestGainBundle, "NPlug.Buffers.TestPlugin");

    /// <summary>Builds whichever bundle is missing (host process only). Throws with the build log when a build fails.</summary>
    public static void EnsureBuilt()
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("The plugin-level benchmarks load linux-x64 bundles.");
        if (!File.Exists(GainEqBinary))
        {
            Console.WriteLine($"// GainEQ bundle missing at {GainEqBundle}: building it (dotnet msbuild eng/build.proj -t:Bundle)");
            Run("dotnet", $"msbuild \"{Path.Combine(RepoRoot, "eng", "build.proj")}\" -t:Bundle -nologo -v:m");
        }
        if (!File.Exists(TestGainBinary))
        {
            Console.WriteLine($"// Test gain bundle missing at {TestGainBundle}: publishing tests/TestPlugin");
            Run("dotnet", $"publish \"{Path.Combine(RepoRoot, "tests", "TestPlugin", "NPlug.Buffers.TestPlugin.csproj")}\" -c Release -r linux-x64 -nologo");
        }
        Require();
        // The benchmark processes inherit these, so they open exactly what was checked here.
        Environment.SetEnvironmentVariable(GainEqEnvironment, GainEqBundle);
        Environment.SetEnvironmentVariable(TestGainEnvironment, TestGainBundle);
    }

    /// <summary>Throws, naming the path and the command, when a bundle is absent.</summary>
    public static void Require()
    {
        if (!File.Exists(GainEqBinary))
            throw new FileNotFoundException($"No GainEQ bundle at {GainEqBundle}; run ./build.sh bundle (or set {GainEqEnvironment}).", GainEqBinary);
        if (!File.Exists(TestGainBinary))
            throw new FileNotFoundException($"No test gain bundle at {TestGainBundle}; run dotnet publish tests/TestPlugin -c Release -r linux-x64 (or set {TestGainEnvironment}).", TestGainBinary);
    }

    private static void Run(string file, string arguments)
    {
        var psi = new ProcessStartInfo(file, arguments) { WorkingDirectory = RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"'{file} {arguments}' failed with exit code {process.ExitCode}:\n{stdout.Result}\n{stderr}");
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "NPlug.Buffers.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("NPlug.Buffers.sln not found above " + AppContext.BaseDirectory);
    }
}
