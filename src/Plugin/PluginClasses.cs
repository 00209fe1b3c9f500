using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Plugin.GainEq;
using NPlug.Buffers.Plugin.Sampler;

namespace NPlug.Buffers.Plugin;

/// <summary>The factory description of the NPlug.Buffers module: two processor classes, each with its controller.</summary>
public static class PluginClasses
{
    public const string Vendor = "NPlug.Buffers";
    public const string Version = "0.1.0";

    // Class ids in the SDK's l1..l4 text form (also written to Contents/Resources/moduleinfo.json).
    public const string GainEqProcessorId = "6B0E2F3A-91C4-4D2B-A7E1-3C5D9F10A201";
    public const string GainEqControllerId = "6B0E2F3A-91C4-4D2B-A7E1-3C5D9F10A202";
    public const string SamplerProcessorId = "6B0E2F3A-91C4-4D2B-A7E1-3C5D9F10B301";
    public const string SamplerControllerId = "6B0E2F3A-91C4-4D2B-A7E1-3C5D9F10B302";

    public const string GainEqName = "NPlug GainEQ";
    public const string SamplerName = "NPlug Sampler";

    public static PluginFactoryDescription CreateDescription()
    {
        var factory = new PluginFactoryDescription(Vendor, "", "");
        factory.AddProcessor(GainEqProcessorId, GainEqName, "Fx|EQ", GainEqControllerId, () => new GainEqProcessor(), Version);
        factory.AddController(GainEqControllerId, GainEqName + " Controller", () => new GainEqController(), Version);
        factory.AddProcessor(SamplerProcessorId, SamplerName, "Instrument|Sampler", SamplerControllerId, () => new SamplerProcessor(), Version);
        factory.AddController(SamplerControllerId, SamplerName + " Controller", () => new SamplerController(), Version);
        return factory;
    }
}
