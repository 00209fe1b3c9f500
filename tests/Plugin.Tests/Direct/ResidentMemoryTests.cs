using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Framework;
using NPlug.Buffers.Plugin.Sampler;
using Xunit.Abstractions;

namespace NPlug.Buffers.Tests.Direct;

[CollectionDefinition(nameof(ResidentMemoryCollection), DisableParallelization = true)]
public sealed class ResidentMemoryCollection
{
}

/// <summary>
/// Resident memory per instance, in process: 64 instances of a class at maxSamplesPerBlock 4096 with 64-bit samples,
/// activated and processed round-robin (the Sampler with a note playing), measured as the growth of the process's RSS
/// (/proc/self/statm, after full collections) divided by 64. Runs alone (no parallel test allocating meanwhile).
/// Includes the host-side buffers DirectRig allocates per instance (2 channels x 4096 x 8 B for the Sampler).
/// </summary>
[Collection(nameof(ResidentMemoryCollection))]
public sealed class ResidentMemoryTests(ITestOutputHelper output)
{
    private const int Instances = 64;
    private const int MaxBlock = 4096;

    private static long Rss()
    {
        for (int i = 0; i < 3; i++)
        {
            // Aggressive: compact and decommit what the GC keeps committed for later allocations, so RSS shows live memory.
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        string[] fields = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(fields[1]) * Environment.SystemPageSize;
    }

    private double KiBPerInstance(Func<NPlug.Buffers.Interop.Api.AudioProcessor> create, bool note, List<DirectRig>? keep = null)
    {
        using var warm = new DirectRig(create(), SymbolicSampleSizes.Sample64, MaxBlock);
        warm.Process(MaxBlock); // JIT, statics, the module's shared sample and pool
        long before = Rss();
        long managedBefore = GC.GetTotalMemory(true);
        var rigs = new List<DirectRig>();
        for (int i = 0; i < Instances; i++) rigs.Add(new DirectRig(create(), SymbolicSampleSizes.Sample64, MaxBlock));
        for (int b = 0; b < 4; b++)
        {
            foreach (DirectRig rig in rigs)
            {
                if (note && b == 0) rig.Events.AddNoteOn(0, 0, 60, 1f);
                Assert.Equal(TResult.ResultOk, rig.Process(MaxBlock));
            }
        }

        long after = Rss();
        HostBufferKiB = HostKiB(rigs[0]);
        output.WriteLine($"  managed heap growth per instance: {(GC.GetTotalMemory(true) - managedBefore) / (double)Instances / 1024:F1} KiB");
        // Memory freed here would be reused by the next class measured in the same process (and hide its growth):
        // a caller comparing classes keeps every batch alive until it has measured them all.
        if (keep is not null) keep.AddRange(rigs);
        else foreach (DirectRig rig in rigs) rig.Dispose();
        return (after - before) / (double)Instances / 1024;
    }

    /// <summary>KiB of host-side channel buffers one rig of the last measured class allocates (the harness's, not the plugin's).</summary>
    private double HostBufferKiB;

    private static double HostKiB(DirectRig rig)
    {
        int channels = 0;
        for (int b = 0; b < rig.Buffers.InputBusCount; b++) channels += rig.Buffers.InputChannelCount(b);
        for (int b = 0; b < rig.Buffers.OutputBusCount; b++) channels += rig.Buffers.OutputChannelCount(b);
        return channels * (double)rig.Buffers.CapacitySamples * sizeof(double) / 1024;
    }

    /// <summary>A plain stereo gain on the raw API — no framework storage, no scratch: the AGain of this harness.</summary>
    private sealed class PlainGain : NPlug.Buffers.Interop.Api.AudioProcessor
    {
        public override bool CanProcess(NPlug.Buffers.Interop.Api.SampleSize sampleSize) => true;

        protected override void ConfigureBuses(NPlug.Buffers.Interop.Api.BusLayout buses)
        {
            buses.AddAudioInput("In", SpeakerArrangements.Stereo);
            buses.AddAudioOutput("Out", SpeakerArrangements.Stereo);
        }

        protected override int OnProcess(NPlug.Buffers.Interop.Api.ProcessBlock block)
        {
            for (int c = 0; c < block.Output(0).ChannelCount; c++)
            {
                var input = block.Input(0).GetChannel64(c);
                var output = block.Output(0).GetChannel64(c);
                for (int i = 0; i < output.Length && i < input.Length; i++) output[i] = input[i] * 0.5;
            }
            return TResult.ResultOk;
        }
    }

    [SkippableFact]
    public void SixtyFour_instances_of_each_class_hold_little_more_than_a_plain_gain()
    {
        Skip.IfNot(File.Exists("/proc/self/statm"), "Linux only: the figure is read from procfs");
        var keep = new List<DirectRig>();
        // The harness gives every instance host buffers for each of its buses (GainEQ's sidechain, the Sampler's missing
        // input): those are the host's memory, so the plugin's is its RSS growth less the plain gain's, corrected for
        // the difference in host buffers.
        KiBPerInstance(() => new PlainGain(), note: false, keep); // settles the allocator and the heaps; not a figure
        double gain = KiBPerInstance(() => new PlainGain(), note: false, keep);
        double gainHost = HostBufferKiB;
        double gainEq = KiBPerInstance(() => new PluginProcessor(NPlug.Buffers.Plugin.GainEq.GainEqModel.Instance), note: false, keep);
        double gainEqAbove = gainEq - gain - (HostBufferKiB - gainHost);
        double sampler = KiBPerInstance(() => new PluginProcessor(SamplerModel.Instance), note: true, keep);
        double samplerAbove = sampler - gain - (HostBufferKiB - gainHost);
        foreach (var rig in keep) rig.Dispose();
        output.WriteLine($"RSS per instance (64 x, 4096, f64): plain gain {gain:F1} KiB, GainEQ {gainEq:F1} KiB, Sampler {sampler:F1} KiB; " +
                         $"above the plain gain, host buffers excluded: GainEQ {gainEqAbove:F1} KiB, Sampler {samplerAbove:F1} KiB");
        Assert.True(gainEqAbove <= 96, $"GainEQ holds {gainEqAbove:F1} KiB per instance more than a plain gain");
        Assert.True(samplerAbove <= 160, $"the Sampler holds {samplerAbove:F1} KiB per instance more than a plain gain");
    }

    [Fact]
    public void SixtyFourSamplers_HoldOneDefaultSample_NotSixtyFour()
    {
        if (!File.Exists("/proc/self/statm")) return; // Linux only: the figure is read from procfs
        double sampler = KiBPerInstance(() => new PluginProcessor(SamplerModel.Instance), note: true);
        output.WriteLine($"RSS per instance (64 x, 4096, f64, incl. 64 KiB of host buffers): Sampler {sampler:F1} KiB");
        // Before the module registry every Sampler synthesised and kept its own 562 KiB copy of the default sample:
        // 721 KiB per instance measured this way; with it, 165 KiB.
        Assert.True(sampler < 300, $"Sampler holds {sampler:F1} KiB per instance");
    }
}
