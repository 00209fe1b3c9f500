namespace NPlug.Buffers.Tests.Abi;

/// <summary>The NativeAOT-published test plugin: exports, NODELETE, and a C host loading it through dlopen.</summary>
public class NativeBundleTests
{
    [TestBundleFact]
    public void Bundle_exports_the_entry_points_and_is_nodelete()
    {
        TestPluginBundle.EnsurePublished();
        Assert.True(File.Exists(TestPluginBundle.BinaryPath), TestPluginBundle.BinaryPath);

        var (nmCode, symbols) = TestPluginBundle.Run("nm", $"-D --defined-only \"{TestPluginBundle.BinaryPath}\"");
        Assert.Equal(0, nmCode);
        var exported = symbols.Split('\n')
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length == 3 && p[1] == "T")
            .Select(p => p[2].Split('@')[0])
            .ToHashSet();
        foreach (var name in new[] { "GetPluginFactory", "ModuleEntry", "ModuleExit", "InitDll", "ExitDll", "bundleEntry", "bundleExit" })
            Assert.Contains(name, exported);

        var (readelfCode, dynamic) = TestPluginBundle.Run("readelf", $"-d \"{TestPluginBundle.BinaryPath}\"");
        Assert.Equal(0, readelfCode);
        Assert.Contains(dynamic.Split('\n'), l => l.Contains("FLAGS_1") && l.Contains("NODELETE"));
    }

    [TestBundleWithGccFact]
    public void C_host_loads_the_bundle_and_processes_audio()
    {
        TestPluginBundle.EnsurePublished();
        var source = Path.Combine(TestPluginBundle.RepoRoot, "tests", "Interop.Tests", "Abi", "Native", "smoke.c");
        var exe = Path.Combine(TestPluginBundle.RepoRoot, "artifacts", "test", "vst3smoke");
        Directory.CreateDirectory(Path.GetDirectoryName(exe)!);
        var (cc, ccOut) = TestPluginBundle.Run("gcc", $"-O1 -Wall -Werror -o \"{exe}\" \"{source}\" -ldl -lm");
        Assert.True(cc == 0, ccOut);

        var (code, output) = TestPluginBundle.Run(exe, $"\"{TestPluginBundle.BinaryPath}\"");
        Assert.True(code == 0, output);
        Assert.StartsWith("OK vendor=NPlug.Buffers classes=2", output);
        Assert.Contains("componentRefs=0 factoryRefs=0", output);
    }
}
