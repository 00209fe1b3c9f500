using System.Diagnostics;
using System.Runtime.InteropServices;
using NPlug.Buffers.Hosting;

namespace NPlug.Buffers.Tests.Hosting;

/// <summary>A fact that needs gcc on Linux (it compiles tiny broken modules).</summary>
public sealed class GccFactAttribute : FactAttribute
{
    public GccFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "Broken-module fixtures are built for Linux only.";
        else if (ToolPaths.FindOnPath("gcc") == null) Skip = "gcc not found on PATH; skipping the broken-module loader tests.";
    }
}

/// <summary>
/// The loader refuses broken modules with a clear error instead of crashing: each case is a one-function C library
/// compiled into its own bundle.
/// </summary>
public sealed class ModuleLoadFailureTests
{
    private static string BuildBundle(string name, string cSource)
    {
        var root = Path.Combine(TestPaths.ArtifactsTest, "broken", name + ".vst3");
        var binary = Path.Combine(root, BundleLayout.RelativeBinaryPath(name, BundlePlatform.Linux, RuntimeInformation.ProcessArchitecture));
        Directory.CreateDirectory(Path.GetDirectoryName(binary)!);
        var source = Path.Combine(TestPaths.ArtifactsTest, "broken", name + ".c");
        File.WriteAllText(source, cSource);
        var psi = new ProcessStartInfo("gcc") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-shared", "-fPIC", "-O0", source, "-o", binary }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
        return root;
    }

    [GccFact]
    public void Missing_ModuleEntry_is_an_error_like_the_sdk()
    {
        var bundle = BuildBundle("NoEntry", "void* GetPluginFactory(void) { return 0; }\n");
        var e = Assert.Throws<InvalidOperationException>(() => PluginModule.Load(bundle));
        Assert.Contains("ModuleEntry", e.Message);
    }

    [GccFact]
    public void ModuleEntry_returning_false_is_an_error()
    {
        var bundle = BuildBundle("EntryFalse",
            "#include <stdbool.h>\nbool ModuleEntry(void* h) { return false; }\nbool ModuleExit(void) { return true; }\nvoid* GetPluginFactory(void) { return 0; }\n");
        var e = Assert.Throws<InvalidOperationException>(() => PluginModule.Load(bundle));
        Assert.Contains("ModuleEntry returned false", e.Message);
    }

    [GccFact]
    public void Null_factory_is_an_error_and_ModuleExit_balances_the_entry()
    {
        var bundle = BuildBundle("NullFactory",
            "#include <stdbool.h>\nint entries = 0;\nbool ModuleEntry(void* h) { entries++; return h != 0; }\n" +
            "bool ModuleExit(void) { entries--; return true; }\nint Entries(void) { return entries; }\nvoid* GetPluginFactory(void) { return 0; }\n");
        var e = Assert.Throws<InvalidOperationException>(() => PluginModule.Load(bundle));
        Assert.Contains("GetPluginFactory returned null", e.Message);
        // The library stays loaded (never dlclose'd); its counter shows ModuleEntry got the handle and was undone.
        var lib = NativeLibrary.Load(BundleLayout.ResolveBinaryPath(bundle));
        unsafe
        {
            var entries = (delegate* unmanaged<int>)NativeLibrary.GetExport(lib, "Entries");
            Assert.Equal(0, entries());
        }
    }
}
