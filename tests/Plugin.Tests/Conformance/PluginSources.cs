using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Bridge;
using NPlug.Buffers.Hosting;
using NPlug.Buffers.Plugin;

namespace NPlug.Buffers.Tests.Conformance;

/// <summary>
/// The two ways tests meet the plugin, so one test body covers both:
/// <c>in-process</c> — the managed factory from <see cref="PluginExports.CreateFactory"/>, driven through its real
/// native function pointers by the host shim; <c>bundle</c> — the NativeAOT bundle published by <c>./build.sh bundle</c>,
/// found through NPLUG_BUFFERS_BUNDLE (set by <c>./build.sh test</c>) or artifacts/NPlug.Buffers.vst3 under the
/// repository root. Bundle tests are skipped, with the path in the message, when no bundle was published.
/// </summary>
public static class PluginSources
{
    public const string InProcess = "in-process";
    public const string Bundle = "bundle";

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string BundlePath =>
        Environment.GetEnvironmentVariable("NPLUG_BUFFERS_BUNDLE") is { Length: > 0 } env
            ? env
            : Path.Combine(RepoRoot, "artifacts", "NPlug.Buffers.vst3");

    public static string BinaryPath => Path.Combine(BundlePath, "Contents", "x86_64-linux", "NPlug.Buffers.so");

    public static bool BundleExists => OperatingSystem.IsLinux() && File.Exists(BinaryPath);

    public static string BundleSkipReason =>
        $"No published bundle at {BundlePath} (run ./build.sh bundle, or set NPLUG_BUFFERS_BUNDLE).";

    /// <summary>
    /// For theories that run once per source: the <c>bundle</c> rows report themselves skipped, with the path, when no
    /// bundle was published (xunit's dynamic skip; the test must be a <c>[SkippableTheory]</c>).
    /// </summary>
    public static void SkipIfBundleMissing(string source) =>
        Skip.If(source == Bundle && !BundleExists, BundleSkipReason);

    public static unsafe PluginModule Open(string source) => source switch
    {
        InProcess => PluginModule.FromFactory((nint)PluginExports.CreateFactory(PluginClasses.CreateDescription())),
        Bundle => PluginModule.Load(BundlePath),
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "NPlug.Buffers.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("NPlug.Buffers.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fact that is skipped (with the reason) when the published bundle is absent.</summary>
public sealed class BundleFactAttribute : FactAttribute
{
    public BundleFactAttribute()
    {
        if (!PluginSources.BundleExists) Skip = PluginSources.BundleSkipReason;
    }
}

/// <summary>A theory that is skipped (with the reason) when the published bundle is absent.</summary>
public sealed class BundleTheoryAttribute : TheoryAttribute
{
    public BundleTheoryAttribute()
    {
        if (!PluginSources.BundleExists) Skip = PluginSources.BundleSkipReason;
    }
}
