using System.Runtime.InteropServices;

namespace NPlug.Buffers.Hosting;

/// <summary>The operating systems whose VST3 bundle layouts differ.</summary>
public enum BundlePlatform
{
    Linux,
    Windows,
    MacOS,
}

/// <summary>
/// Where the binary of a <c>&lt;Name&gt;.vst3</c> bundle lives for a given OS and architecture
/// (Linux <c>Contents/&lt;uname -m&gt;-linux/&lt;Name&gt;.so</c>, Windows <c>Contents/x86_64-win/&lt;Name&gt;.vst3</c>,
/// macOS <c>Contents/MacOS/&lt;Name&gt;</c>). Kept free of I/O so every layout is unit-testable on any OS.
/// </summary>
public static class BundleLayout
{
    public static BundlePlatform CurrentPlatform =>
        OperatingSystem.IsWindows() ? BundlePlatform.Windows
        : OperatingSystem.IsMacOS() ? BundlePlatform.MacOS
        : BundlePlatform.Linux;

    /// <summary>The architecture folder prefix as the SDK spells it (Linux: <c>uname -m</c>).</summary>
    public static string ArchitectureName(Architecture architecture, BundlePlatform platform) => (architecture, platform) switch
    {
        (Architecture.X64, _) => "x86_64",
        (Architecture.Arm64, BundlePlatform.Windows) => "arm64",
        (Architecture.Arm64, _) => "aarch64",
        (Architecture.X86, BundlePlatform.Windows) => "x86",
        (Architecture.X86, _) => "i686",
        (Architecture.Arm, BundlePlatform.Windows) => "arm",
        (Architecture.Arm, _) => "armv7l",
        _ => architecture.ToString().ToLowerInvariant(),
    };

    /// <summary>The bundle's stem: <c>/x/Gain.vst3</c> → <c>Gain</c> (trailing separators ignored).</summary>
    public static string BundleStem(string bundlePath)
    {
        var trimmed = bundlePath.TrimEnd('/', '\\');
        var name = trimmed[(trimmed.LastIndexOfAny(['/', '\\']) + 1)..];
        return name.EndsWith(".vst3", StringComparison.OrdinalIgnoreCase) ? name[..^5] : name;
    }

    /// <summary>The binary's path relative to the bundle directory, with '/' separators.</summary>
    public static string RelativeBinaryPath(string stem, BundlePlatform platform, Architecture architecture) => platform switch
    {
        BundlePlatform.Linux => $"Contents/{ArchitectureName(architecture, platform)}-linux/{stem}.so",
        BundlePlatform.Windows => $"Contents/{ArchitectureName(architecture, platform)}-win/{stem}.vst3",
        BundlePlatform.MacOS => $"Contents/MacOS/{stem}",
        _ => throw new ArgumentOutOfRangeException(nameof(platform)),
    };

    /// <summary>
    /// Resolves the binary to load for the running OS. A path that is itself a file (a Windows
    /// "old style" flat .vst3 DLL, or a direct path to the .so) is returned unchanged.
    /// </summary>
    public static string ResolveBinaryPath(string bundlePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(bundlePath);
        if (File.Exists(bundlePath))
            return Path.GetFullPath(bundlePath);
        if (!Directory.Exists(bundlePath))
            throw new DirectoryNotFoundException($"VST3 bundle not found: {bundlePath}");
        var relative = RelativeBinaryPath(BundleStem(bundlePath), CurrentPlatform, RuntimeInformation.ProcessArchitecture);
        var full = Path.GetFullPath(Path.Combine(bundlePath, relative));
        if (!File.Exists(full))
            throw new FileNotFoundException($"The bundle has no binary for this platform (expected {relative}).", full);
        return full;
    }
}
