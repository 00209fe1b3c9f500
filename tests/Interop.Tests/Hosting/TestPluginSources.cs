using System.Diagnostics;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Hosting;
using NPlug.Buffers.TestPlugin;

namespace NPlug.Buffers.Tests.Hosting;

/// <summary>
/// The two ways the shim meets tests/TestPlugin, so one test body covers both:
/// <list type="bullet">
/// <item><c>in-process</c>: the managed factory from <c>PluginExports.CreateFactory</c>, driven through its real native
/// function pointers (no managed shortcut).</item>
/// <item><c>nativeaot</c>: the NativeAOT-published bundle <c>artifacts/test/NPlug.Buffers.TestPlugin.vst3</c>, loaded with
/// <see cref="PluginModule.Load"/>. The fixture runs <c>dotnet publish tests/TestPlugin -c Release -r linux-x64</c> once
/// per test run, and reuses the existing bundle when its binary is newer than every source file of TestPlugin,
/// src/Interop and src/Core (so the second run costs nothing).</item>
/// </list>
/// </summary>
public static class TestPluginSources
{
    public const string InProcess = "in-process";
    public const string NativeAot = "nativeaot";

    public static TheoryData<string> All => new() { InProcess, NativeAot };

    private static readonly Lazy<(string? Bundle, string? Error)> s_bundle = new(PublishOrReuse, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string BundlePath => Path.Combine(TestPaths.ArtifactsTest, "NPlug.Buffers.TestPlugin.vst3");

    public static unsafe PluginModule Open(string source) => source switch
    {
        InProcess => PluginModule.FromFactory((nint)PluginExports.CreateFactory(TestGain.CreateDescription())),
        NativeAot => PluginModule.Load(RequireBundle()),
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    private static string RequireBundle()
    {
        var (bundle, error) = s_bundle.Value;
        return bundle ?? throw new InvalidOperationException("Publishing the NativeAOT TestPlugin failed:\n" + error);
    }

    private static (string?, string?) PublishOrReuse()
    {
        if (!OperatingSystem.IsLinux()) return (null, "The NativeAOT bundle is published for linux-x64 only in these tests.");
        var binary = Path.Combine(BundlePath, BundleLayout.RelativeBinaryPath("NPlug.Buffers.TestPlugin", BundlePlatform.Linux,
            System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture));
        if (File.Exists(binary) && File.GetLastWriteTimeUtc(binary) > NewestSource()) return (BundlePath, null);

        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = TestPaths.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "publish", "tests/TestPlugin/NPlug.Buffers.TestPlugin.csproj", "-c", "Release", "-r", "linux-x64", "-nologo" })
            psi.ArgumentList.Add(a);
        // The test host's MSBuild environment must not leak into the child build.
        psi.Environment.Remove("MSBuildExtensionsPath");
        psi.Environment.Remove("MSBuildSDKsPath");
        psi.Environment.Remove("MSBUILD_EXE_PATH");
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 || !File.Exists(binary)) return (null, stdout.Result + stderr);
        return (BundlePath, null);
    }

    private static DateTime NewestSource()
    {
        var newest = DateTime.MinValue;
        foreach (var dir in new[] { "tests/TestPlugin", "src/Interop", "src/Core" })
        {
            var root = Path.Combine(TestPaths.RepoRoot, dir);
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                if (file.Contains("/bin/") || file.Contains("/obj/")) continue;
                if (!(file.EndsWith(".cs") || file.EndsWith(".csproj") || file.EndsWith(".targets"))) continue;
                var t = File.GetLastWriteTimeUtc(file);
                if (t > newest) newest = t;
            }
        }
        return newest;
    }
}
