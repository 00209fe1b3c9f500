using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Bridge;
using NPlug.Buffers.Hosting;
using NPlug.Buffers.TestPlugin;
using NPlug.Buffers.Tests.Abi;

namespace NPlug.Buffers.Tests.Hosting;

/// <summary>
/// The two ways the shim meets tests/TestPlugin, so one test body covers both:
/// <list type="bullet">
/// <item><c>in-process</c>: the managed factory from <c>PluginExports.CreateFactory</c>, driven through its real native
/// function pointers (no managed shortcut).</item>
/// <item><c>nativeaot</c>: the NativeAOT-published bundle <c>artifacts/test/NPlug.Buffers.TestPlugin.vst3</c>, loaded with
/// <see cref="PluginModule.Load"/>. Publishing goes through the shared <see cref="TestPluginBundle"/> helper (one gate
/// for the whole test run, so the ABI tests and these never publish concurrently): it runs
/// <c>dotnet publish tests/TestPlugin -c Release -r linux-x64</c> on first use, and reuses the existing bundle when its
/// binary is newer than the freshly built TestPlugin assembly (so a second run costs nothing).</item>
/// </list>
/// </summary>
public static class TestPluginSources
{
    public const string InProcess = "in-process";
    public const string NativeAot = "nativeaot";

    public static TheoryData<string> All => new() { InProcess, NativeAot };

    public static string BundlePath => TestPluginBundle.BundlePath;

    public static unsafe PluginModule Open(string source) => source switch
    {
        InProcess => PluginModule.FromFactory((nint)PluginExports.CreateFactory(TestGain.CreateDescription())),
        NativeAot => PluginModule.Load(TestPluginBundle.EnsurePublished()),
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };
}
