using NPlug.Buffers.Hosting;
using NPlug.Buffers.Hosting.Conformance;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Interop.Bridge;
using NPlug.Buffers.Interop.Framework;
using NPlug.Buffers.Tests.Conformance;
using StereoDelay;

namespace NPlug.Buffers.Tests.StereoDelayPlugin;

/// <summary>
/// samples/StereoDelay, the plugin made from the nplug-effect template, in-process (its managed factory driven through
/// the real function pointers) and as the NativeAOT bundle ./build.sh bundle writes to artifacts/StereoDelay.vst3
/// (NPLUG_BUFFERS_STEREODELAY_BUNDLE): the validator's suite plain and extended, hostile modes at 32/64 bits, 0 managed
/// bytes while processing, state fuzz, and its output against an independent reference.
/// </summary>
public static class StereoDelaySources
{
    public const string Name = "StereoDelay";

    public static string BundlePath =>
        Environment.GetEnvironmentVariable("NPLUG_BUFFERS_STEREODELAY_BUNDLE") is { Length: > 0 } env
            ? env
            : Path.Combine(PluginSources.RepoRoot, "artifacts", "StereoDelay.vst3");

    public static bool BundleExists =>
        OperatingSystem.IsLinux() && File.Exists(Path.Combine(BundlePath, "Contents", "x86_64-linux", "StereoDelay.so"));

    public static string SkipReason => $"No published StereoDelay bundle at {BundlePath} (run ./build.sh bundle).";

    public static unsafe PluginModule Open(string source) => source switch
    {
        PluginSources.InProcess => PluginModule.FromFactory((nint)PluginExports.CreateFactory(
            new PluginFactoryDescription("NPlug.Buffers").Add(new StereoDelayModel()))),
        PluginSources.Bundle => PluginModule.Load(BundlePath),
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    public static TheoryData<string> Sources() => new(PluginSources.InProcess, PluginSources.Bundle);

    /// <summary>False for the bundle when it is absent (its rows are then skipped with <see cref="SkipReason"/>).</summary>
    public static bool Available(string source) => source != PluginSources.Bundle || BundleExists;
}

public sealed class StereoDelayBundleFactAttribute : FactAttribute
{
    public StereoDelayBundleFactAttribute()
    {
        if (!StereoDelaySources.BundleExists) Skip = StereoDelaySources.SkipReason;
    }
}

public sealed class StereoDelayConformanceTests
{
    public static TheoryData<string, string> PlainCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var source in new[] { PluginSources.InProcess, PluginSources.Bundle })
            foreach (var name in ConformanceSuite.TestNames(extended: false))
                data.Add(source, name);
        return data;
    }

    private static ConformanceSuite Suite(PluginModule module, bool extended) =>
        ConformanceSuite.For(module, module.ProcessorClasses.Single(), extended);

    [StereoDelayBundleFact]
    public void The_bundle_exposes_one_delay_class_and_its_generated_moduleinfo()
    {
        using var module = StereoDelaySources.Open(PluginSources.Bundle);
        var cls = module.ProcessorClasses.Single();
        Assert.Equal("StereoDelay", cls.Name);
        Assert.Equal("Fx|Delay", cls.SubCategories);
        string json = File.ReadAllText(Path.Combine(StereoDelaySources.BundlePath, "Contents", "Resources", "moduleinfo.json"));
        Assert.Contains(cls.ClassIdString, json, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [MemberData(nameof(PlainCases))]
    public void Plain_validator_test_passes(string source, string test)
    {
        Skip.If(!StereoDelaySources.Available(source), StereoDelaySources.SkipReason);
        using var module = StereoDelaySources.Open(source);
        var result = Suite(module, extended: false).Run(test);
        Assert.True(result.Passed, result.ToString());
    }

    [SkippableTheory]
    [MemberData(nameof(StereoDelaySources.Sources), MemberType = typeof(StereoDelaySources))]
    public void Extended_validator_suite_passes(string source)
    {
        Skip.If(!StereoDelaySources.Available(source), StereoDelaySources.SkipReason);
        using var module = StereoDelaySources.Open(source);
        var results = Suite(module, extended: true).RunAll();
        Assert.True(results.Count > ConformanceSuite.TestNames(extended: false).Count);
        var failures = results.Where(r => !r.Passed).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [SkippableTheory]
    [InlineData(PluginSources.InProcess, SymbolicSampleSizes.Sample32)]
    [InlineData(PluginSources.InProcess, SymbolicSampleSizes.Sample64)]
    [InlineData(PluginSources.Bundle, SymbolicSampleSizes.Sample32)]
    [InlineData(PluginSources.Bundle, SymbolicSampleSizes.Sample64)]
    public void Hostile_modes_do_not_break_the_delay(string source, int sampleSize)
    {
        Skip.If(!StereoDelaySources.Available(source), StereoDelaySources.SkipReason);
        using var module = StereoDelaySources.Open(source);
        using var plugin = module.CreatePlugin(module.ProcessorClasses.Single());
        plugin.StartProcessing(48000, 1024, sampleSize);
        Assert.All(HostileModeRunner.Run(plugin, HostileModes.All), r => Assert.True(r.Passed, $"{r.Mode}: {r.Message}"));
        plugin.StopProcessing();
    }

    [SkippableTheory]
    [MemberData(nameof(StereoDelaySources.Sources), MemberType = typeof(StereoDelaySources))]
    public void Garbage_state_is_refused_and_leaves_the_previous_state(string source)
    {
        Skip.If(!StereoDelaySources.Available(source), StereoDelaySources.SkipReason);
        using var module = StereoDelaySources.Open(source);
        using var plugin = module.CreatePlugin(module.ProcessorClasses.Single());
        StateFuzz.AssertGarbageRefused(plugin, StereoDelayModel.TimeId, seed: 31);
    }
}

/// <summary>0 managed bytes on the processing thread (the probe of <see cref="ProcessAllocationTests"/>).</summary>
[Collection(ProcessProbeCollection.Name)]
public sealed class StereoDelayAllocationTests
{
    private static void WithProbe(PluginModule module, Action<PluginClassInfo> body)
    {
        var cls = module.ProcessorClasses.Single();
        using (var probe = module.CreatePlugin(cls)) ProcessAllocationProbe.Install(probe.Processor);
        try
        {
            body(cls); // warm-up pass
            for (int pass = 0; pass < 3; pass++)
            {
                ProcessAllocationProbe.Reset();
                body(cls);
                if (ProcessAllocationProbe.Bytes == 0) break;
            }
        }
        finally
        {
            ProcessAllocationProbe.Uninstall();
        }
    }

    [Fact]
    public void Validator_suite_hostile_modes_and_automation_bursts_allocate_nothing_while_processing()
    {
        using var module = StereoDelaySources.Open(PluginSources.InProcess);
        WithProbe(module, cls =>
        {
            Assert.All(ConformanceSuite.For(module, cls, extended: false).RunAll(), r => Assert.True(r.Passed, r.ToString()));
            foreach (int size in new[] { SymbolicSampleSizes.Sample32, SymbolicSampleSizes.Sample64 })
            {
                using var plugin = module.CreatePlugin(cls);
                plugin.StartProcessing(48000, 512, size);
                Assert.All(HostileModeRunner.Run(plugin, HostileModes.All), r => Assert.True(r.Passed, r.Message));
                var rng = new Random(5);
                for (int block = 0; block < 1000; block++)
                {
                    int frames = block % 10 == 0 ? 0 : 1 + rng.Next(512);
                    foreach (uint id in new[] { StereoDelayModel.TimeId, StereoDelayModel.FeedbackId, StereoDelayModel.MixId, StereoDelayModel.BypassId })
                        for (int k = 0; k < 4; k++) plugin.InputParameterChanges.AddPoint(id, frames == 0 ? 0 : rng.Next(frames), rng.NextDouble());
                    plugin.Process(frames);
                }
                plugin.StopProcessing();
            }
        });
        Assert.True(ProcessAllocationProbe.Calls > 5000, $"only {ProcessAllocationProbe.Calls} process calls measured");
        Assert.True(0 == ProcessAllocationProbe.Bytes, $"{ProcessAllocationProbe.Bytes} B while processing: {ProcessAllocationProbe.Describe()}");
    }
}

/// <summary>
/// The delay's output against a reference computed here from the definition: an impulse comes out after exactly
/// round(time·rate) frames scaled by mix, each repeat scaled by feedback, the dry part by 1 − mix; a time change
/// takes effect at its sample offset.
/// </summary>
public sealed class StereoDelayBehaviourTests
{
    private const int Block = 512;

    /// <summary>Runs <paramref name="blocks"/> blocks; impulses (value 1, both channels) at the given absolute frames; returns channel 0 and 1.</summary>
    private static unsafe (double[] Left, double[] Right) Render(string source, int sampleSize, double rate, int blocks, int[] impulses,
        Action<HostedPlugin, int> automate)
    {
        using var module = StereoDelaySources.Open(source);
        using var plugin = module.CreatePlugin(module.ProcessorClasses.Single());
        plugin.StartProcessing(rate, Block, sampleSize);
        var left = new double[blocks * Block];
        var right = new double[blocks * Block];
        bool wide = sampleSize == SymbolicSampleSizes.Sample64;
        for (int b = 0; b < blocks; b++)
        {
            var buffers = plugin.Buffers!;
            for (int c = 0; c < 2; c++)
                for (int i = 0; i < Block; i++)
                {
                    double v = Array.IndexOf(impulses, b * Block + i) >= 0 ? 1 : 0;
                    if (wide) buffers.Input64(0, c)[i] = v; else buffers.Input32(0, c)[i] = (float)v;
                }
            automate(plugin, b);
            Assert.Equal(TResult.ResultOk, plugin.Process(Block));
            for (int i = 0; i < Block; i++)
            {
                left[b * Block + i] = wide ? buffers.Output64(0, 0)[i] : buffers.Output32(0, 0)[i];
                right[b * Block + i] = wide ? buffers.Output64(0, 1)[i] : buffers.Output32(0, 1)[i];
            }
        }
        plugin.StopProcessing();
        return (left, right);
    }

    private static void AssertMatches(double[] expected, double[] actual, double tolerance)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"frame {i}: expected {expected[i]}, got {actual[i]}");
    }

    public static TheoryData<string, int, double, double> ImpulseCases()
    {
        var data = new TheoryData<string, int, double, double>();
        foreach (var source in new[] { PluginSources.InProcess, PluginSources.Bundle })
            foreach (int size in new[] { SymbolicSampleSizes.Sample32, SymbolicSampleSizes.Sample64 })
            {
                data.Add(source, size, 48000, 10);
                data.Add(source, size, 44100, 12.3);
            }
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(ImpulseCases))]
    public void An_impulse_repeats_after_round_time_times_rate_frames_scaled_by_mix_and_feedback(string source, int sampleSize, double rate, double timeMs)
    {
        Skip.If(!StereoDelaySources.Available(source), StereoDelaySources.SkipReason);
        const double mixPercent = 40, feedbackPercent = 57;
        var (left, right) = Render(source, sampleSize, rate, blocks: 6, impulses: [0], (plugin, block) =>
        {
            if (block != 0) return;
            plugin.InputParameterChanges.AddPoint(StereoDelayModel.TimeId, 0, timeMs / StereoDelayModel.MaxTimeMs);
            plugin.InputParameterChanges.AddPoint(StereoDelayModel.FeedbackId, 0, feedbackPercent / 95);
            plugin.InputParameterChanges.AddPoint(StereoDelayModel.MixId, 0, mixPercent / 100);
        });
        int d = (int)Math.Round(timeMs / 1000 * rate);
        double mix = mixPercent / 100, feedback = feedbackPercent / 100;
        var expected = new double[left.Length];
        expected[0] = 1 - mix;
        double repeat = mix;
        for (int k = d; k < expected.Length; k += d, repeat *= feedback) expected[k] = repeat;
        double tolerance = sampleSize == SymbolicSampleSizes.Sample64 ? 1e-12 : 1e-6;
        AssertMatches(expected, left, tolerance);
        AssertMatches(expected, right, tolerance);
    }

    [SkippableTheory]
    [InlineData(PluginSources.InProcess, SymbolicSampleSizes.Sample32)]
    [InlineData(PluginSources.InProcess, SymbolicSampleSizes.Sample64)]
    [InlineData(PluginSources.Bundle, SymbolicSampleSizes.Sample32)]
    [InlineData(PluginSources.Bundle, SymbolicSampleSizes.Sample64)]
    public void A_time_change_takes_effect_at_its_sample_offset(string source, int sampleSize)
    {
        Skip.If(!StereoDelaySources.Available(source), StereoDelaySources.SkipReason);
        // 5 ms (240 frames) until frame 300, 10 ms (480) from there; wet only, no feedback: out[n] = x[n − D(n)], so the
        // impulses at 0 and 100 come out at 240 (0 + 240), 480 (0 + 480) and 580 (100 + 480), and 340 stays silent.
        // Applied at the block's start the 240 would be missing, applied at its end 480/580 would be 340.
        int[] impulses = [0, 100];
        var (left, _) = Render(source, sampleSize, 48000, blocks: 3, impulses, (plugin, block) =>
        {
            if (block != 0) return;
            plugin.InputParameterChanges.AddPoint(StereoDelayModel.MixId, 0, 1);
            plugin.InputParameterChanges.AddPoint(StereoDelayModel.FeedbackId, 0, 0);
            plugin.InputParameterChanges.AddPoint(StereoDelayModel.TimeId, 0, 5 / StereoDelayModel.MaxTimeMs);
            plugin.InputParameterChanges.AddPoint(StereoDelayModel.TimeId, 300, 10 / StereoDelayModel.MaxTimeMs);
        });
        var expected = new double[left.Length];
        for (int n = 0; n < expected.Length; n++)
            expected[n] = Array.IndexOf(impulses, n - (n < 300 ? 240 : 480)) >= 0 ? 1 : 0;
        Assert.Equal([240, 480, 580], Enumerable.Range(0, expected.Length).Where(n => expected[n] != 0));
        AssertMatches(expected, left, 1e-6);
    }

    [SkippableTheory]
    [MemberData(nameof(StereoDelaySources.Sources), MemberType = typeof(StereoDelaySources))]
    public void The_delay_line_holds_the_full_two_seconds_at_the_current_rate(string source)
    {
        Skip.If(!StereoDelaySources.Available(source), StereoDelaySources.SkipReason);
        const double rate = 44100;
        int d = (int)Math.Round(2.0 * rate);
        int blocks = d / Block + 2;
        var (left, _) = Render(source, SymbolicSampleSizes.Sample32, rate, blocks, impulses: [7], (plugin, block) =>
        {
            if (block != 0) return;
            plugin.InputParameterChanges.AddPoint(StereoDelayModel.MixId, 0, 1);
            plugin.InputParameterChanges.AddPoint(StereoDelayModel.FeedbackId, 0, 0);
            plugin.InputParameterChanges.AddPoint(StereoDelayModel.TimeId, 0, 1);
        });
        var expected = new double[left.Length];
        expected[7 + d] = 1;
        AssertMatches(expected, left, 1e-6);
    }
}
