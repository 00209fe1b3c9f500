using NPlug.Buffers.Interop.Framework;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Hosting;
using NPlug.Buffers.Plugin;
using NPlug.Buffers.Plugin.GainEq;
using NPlug.Buffers.Plugin.Sampler;

namespace NPlug.Buffers.Tests.Conformance;

/// <summary>Parameter strings, state and instrument output through the host shim, in-process and against the bundle.</summary>
public sealed class HostedBehaviourTests
{
    public static TheoryData<string, string> SourcesAndClasses()
    {
        var data = new TheoryData<string, string>();
        foreach (var source in new[] { PluginSources.InProcess, PluginSources.Bundle })
            foreach (var cls in ConformanceTests.ClassNames)
                data.Add(source, cls);
        return data;
    }

    private static HostedPlugin Create(PluginModule module, string className) =>
        module.CreatePlugin(module.ProcessorClasses.Single(c => c.Name == className));

    [SkippableTheory]
    [MemberData(nameof(SourcesAndClasses))]
    public void Parameter_strings_round_trip_through_the_controller(string source, string className)
    {
        PluginSources.SkipIfBundleMissing(source);
        using var module = PluginSources.Open(source);
        using var plugin = Create(module, className);
        var rng = new Random(17);
        foreach (var p in plugin.GetParameters())
        {
            for (int k = 0; k < 25; k++)
            {
                double n = k == 0 ? 0 : k == 1 ? 1 : rng.NextDouble();
                string? text = plugin.ValueToString(p.Id, n);
                Assert.False(string.IsNullOrEmpty(text));
                double? back = plugin.StringToValue(p.Id, text!);
                Assert.True(back.HasValue, $"{p.Title}: '{text}' did not parse");
                Assert.Equal(text, plugin.ValueToString(p.Id, back!.Value));
            }
        }
        if (className == PluginClasses.GainEqName)
        {
            double? n = plugin.StringToValue(GainEqModel.OutputGain, "-6.0 dB");
            Assert.NotNull(n);
            Assert.Equal(-6.0, plugin.NormalizedToPlain(GainEqModel.OutputGain, n!.Value), 9);
            Assert.Equal("-6.0 dB", plugin.ValueToString(GainEqModel.OutputGain, n.Value));
        }
    }

    [SkippableTheory]
    [MemberData(nameof(SourcesAndClasses))]
    public void Garbage_state_is_refused_and_leaves_the_previous_state(string source, string className)
    {
        PluginSources.SkipIfBundleMissing(source);
        using var module = PluginSources.Open(source);
        using var plugin = Create(module, className);
        // A non-default state first, through a flush on the processor and the controller mirror.
        uint id = className == PluginClasses.GainEqName ? GainEqModel.OutputGain : SamplerModel.Cutoff;
        StateFuzz.AssertGarbageRefused(plugin, id, seed: 99);
    }

    [SkippableTheory]
    [InlineData(PluginSources.InProcess, SymbolicSampleSizes.Sample32)]
    [InlineData(PluginSources.InProcess, SymbolicSampleSizes.Sample64)]
    [InlineData(PluginSources.Bundle, SymbolicSampleSizes.Sample32)]
    [InlineData(PluginSources.Bundle, SymbolicSampleSizes.Sample64)]
    public unsafe void Sampler_null_outputs_render_into_internal_buffers_identical_to_host_buffers(string source, int sampleSize)
    {
        PluginSources.SkipIfBundleMissing(source);
        List<double[]> Render(ChannelPointerMode mode)
        {
            using var module = PluginSources.Open(source);
            using var plugin = Create(module, PluginClasses.SamplerName);
            plugin.StartProcessing(44100, 256, sampleSize);
            var blocks = new List<double[]>();
            for (int b = 0; b < 10; b++)
            {
                plugin.Buffers!.OutputMode = mode;
                if (b == 0) plugin.InputEvents.AddNoteOn(17, 0, 57, 0.8f, noteId: 1);
                if (b == 2) plugin.InputEvents.AddNoteOn(200, 0, 64, 1f, noteId: 2);
                if (b == 6) plugin.InputEvents.AddNoteOff(3, 0, 57, 0f, noteId: 1);
                Assert.Equal(TResult.ResultOk, plugin.Process(256));
                var bus = plugin.Buffers.OutputBuses[0];
                for (int c = 0; c < 2; c++)
                {
                    nint entry = sampleSize == SymbolicSampleSizes.Sample64 ? (nint)bus.ChannelBuffers64[c] : (nint)bus.ChannelBuffers32[c];
                    Assert.NotEqual(0, entry); // null entries were pointed at the plugin's internal buffers
                    var samples = new double[256];
                    for (int i = 0; i < 256; i++)
                        samples[i] = sampleSize == SymbolicSampleSizes.Sample64 ? ((double*)entry)[i] : ((float*)entry)[i];
                    blocks.Add(samples);
                }
            }
            plugin.StopProcessing();
            return blocks;
        }
        var normal = Render(ChannelPointerMode.Owned);
        var nulls = Render(ChannelPointerMode.Null);
        Assert.True(nulls.Max(b => b.Max(Math.Abs)) > 0.05, "the notes rendered");
        for (int i = 0; i < normal.Count; i++) Assert.Equal(normal[i], nulls[i]);
    }
}
