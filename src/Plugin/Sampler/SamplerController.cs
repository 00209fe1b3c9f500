using NPlug.Buffers.Plugin.Common;

namespace NPlug.Buffers.Plugin.Sampler;

/// <summary>Controller of the Sampler: its parameters and the processor-state mirror.</summary>
public sealed class SamplerController() : PluginController(SamplerParameters.Layout, SamplerProcessor.StateClassTag);
