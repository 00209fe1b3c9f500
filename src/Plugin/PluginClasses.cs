using System.Runtime.CompilerServices;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Interop.Framework;
using NPlug.Buffers.Plugin.GainEq;
using NPlug.Buffers.Plugin.Sampler;

namespace NPlug.Buffers.Plugin;

/// <summary>The NPlug.Buffers module: two model-based classes, registered before any export is called.</summary>
public static class PluginClasses
{
    public const string Vendor = "NPlug.Buffers";
    public const string Version = "0.1.0";

    // Class ids in the SDK's l1..l4 text form; saved sessions refer to them, so they never change.
    public const string GainEqProcessorId = "6B0E2F3A-91C4-4D2B-A7E1-3C5D9F10A201";
    public const string GainEqControllerId = "6B0E2F3A-91C4-4D2B-A7E1-3C5D9F10A202";
    public const string SamplerProcessorId = "6B0E2F3A-91C4-4D2B-A7E1-3C5D9F10B301";
    public const string SamplerControllerId = "6B0E2F3A-91C4-4D2B-A7E1-3C5D9F10B302";

    public const string GainEqName = "NPlug GainEQ";
    public const string SamplerName = "NPlug Sampler";

    public static PluginFactoryDescription CreateDescription() =>
        new PluginFactoryDescription(Vendor).Add(GainEqModel.Instance).Add(SamplerModel.Instance);

    // NativeAOT runs module initializers before the first export call: exactly what CA2255 reserves them for.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => AudioPluginFactory.Register(CreateDescription());
}
