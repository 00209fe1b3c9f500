using NPlug.Buffers.Interop.Framework;
using NPlug.Buffers.Plugin.Sampler;

namespace NPlug.Buffers.Tests.Direct;

internal static class SamplerTestExtensions
{
    /// <summary>The engine of an active Sampler processor, whichever precision it runs at.</summary>
    public static SamplerEngine SamplerEngine(this NPlug.Buffers.Interop.Api.AudioProcessor processor) => ((PluginProcessor)processor).Dsp switch
    {
        SamplerDsp<float> d => d.Engine,
        SamplerDsp<double> d => d.Engine,
        _ => throw new InvalidOperationException("The Sampler is not active."),
    };
}
