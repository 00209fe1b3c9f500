using System.Runtime.InteropServices;
using NPlug.Buffers.Hosting;

namespace NPlug.Buffers.Tests.Hosting;

public sealed class BundleLayoutTests
{
    [Theory]
    [InlineData(BundlePlatform.Linux, Architecture.X64, "Contents/x86_64-linux/Gain.so")]
    [InlineData(BundlePlatform.Linux, Architecture.Arm64, "Contents/aarch64-linux/Gain.so")]
    [InlineData(BundlePlatform.Windows, Architecture.X64, "Contents/x86_64-win/Gain.vst3")]
    [InlineData(BundlePlatform.Windows, Architecture.Arm64, "Contents/arm64-win/Gain.vst3")]
    [InlineData(BundlePlatform.MacOS, Architecture.Arm64, "Contents/MacOS/Gain")]
    public void Binary_path_follows_the_sdk_layout(BundlePlatform platform, Architecture arch, string expected)
        => Assert.Equal(expected, BundleLayout.RelativeBinaryPath("Gain", platform, arch));

    [Theory]
    [InlineData("/x/y/Gain.vst3", "Gain")]
    [InlineData("/x/y/Gain.vst3/", "Gain")]
    [InlineData(@"C:\p\My Plug.vst3", "My Plug")]
    public void Stem_is_the_bundle_name_without_extension(string path, string stem)
        => Assert.Equal(stem, BundleLayout.BundleStem(path));

    [Fact]
    public void Resolves_an_existing_bundle_and_reports_a_missing_binary()
    {
        var root = Directory.CreateTempSubdirectory("bundle-layout-");
        try
        {
            var bundle = Path.Combine(root.FullName, "Fake.vst3");
            var relative = BundleLayout.RelativeBinaryPath("Fake", BundleLayout.CurrentPlatform, RuntimeInformation.ProcessArchitecture);
            Assert.Throws<DirectoryNotFoundException>(() => BundleLayout.ResolveBinaryPath(bundle));
            Directory.CreateDirectory(bundle);
            Assert.Throws<FileNotFoundException>(() => BundleLayout.ResolveBinaryPath(bundle));
            var binary = Path.Combine(bundle, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(binary)!);
            File.WriteAllBytes(binary, [0]);
            Assert.Equal(Path.GetFullPath(binary), BundleLayout.ResolveBinaryPath(bundle));
            Assert.Equal(Path.GetFullPath(binary), BundleLayout.ResolveBinaryPath(binary));
            Assert.Throws<DirectoryNotFoundException>(() => BundleLayout.ResolveBinaryPath(Path.Combine(root.FullName, "Missing.vst3")));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
