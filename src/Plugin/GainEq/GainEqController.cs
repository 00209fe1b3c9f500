using NPlug.Buffers.Plugin.Common;

namespace NPlug.Buffers.Plugin.GainEq;

/// <summary>Controller of GainEQ: its parameters and the processor-state mirror.</summary>
public sealed class GainEqController() : PluginController(GainEqParameters.Layout, GainEqProcessor.StateClassTag);
