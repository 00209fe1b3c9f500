using NPlug.Buffers.Interop.Framework;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Hosting;
using NPlug.Buffers.Hosting.Com;
using NPlug.Buffers.Plugin.Sampler;

namespace NPlug.Buffers.Tests.Direct;

public unsafe class SamplerBehaviourTests
{
    public static TheoryData<int> SampleSizes => new() { SymbolicSampleSizes.Sample32, SymbolicSampleSizes.Sample64 };

    [Theory]
    [MemberData(nameof(SampleSizes))]
    public void Note_starts_exactly_at_its_sample_offset(int sampleSize)
    {
        using var rig = new DirectRig(new PluginProcessor(SamplerModel.Instance), sampleSize);
        rig.Events.AddNoteOn(100, 0, 60, 1f);
        Assert.Equal(TResult.ResultOk, rig.Process(512));
        var left = rig.Output(0, 0, 512);
        Assert.Equal(0, DirectRig.Peak(left.AsSpan(0, 100)));
        Assert.True(DirectRig.Peak(left.AsSpan(100)) > 0, "sound after the offset");
        // The voice fades in from its first sample: sample 100 is the first non-zero one.
        Assert.NotEqual(0, left[101]);
        Assert.Equal(0ul, rig.Buffers.OutputBuses[0].SilenceFlags);
    }

    [Theory]
    [MemberData(nameof(SampleSizes))]
    public void No_notes_means_flagged_zero_output(int sampleSize)
    {
        using var rig = new DirectRig(new PluginProcessor(SamplerModel.Instance), sampleSize);
        rig.Buffers.FillOutputs(0.25, sampleSize); // garbage the plugin must overwrite
        Assert.Equal(TResult.ResultOk, rig.Process(256));
        Assert.Equal(3ul, rig.Buffers.OutputBuses[0].SilenceFlags);
        Assert.Equal(0, DirectRig.Peak(rig.Output(0, 0, 256)));
        Assert.Equal(0, DirectRig.Peak(rig.Output(0, 1, 256)));
    }

    private static List<double[]> RenderSequence(int sampleSize, ChannelPointerMode mode, out nint[] hostEntries)
    {
        using var rig = new DirectRig(new PluginProcessor(SamplerModel.Instance), sampleSize);
        rig.Buffers.OutputMode = mode;
        var blocks = new List<double[]>();
        hostEntries = new nint[2];
        for (int b = 0; b < 12; b++)
        {
            if (b == 0) { rig.Events.AddNoteOn(10, 0, 60, 0.9f, noteId: 1); rig.Events.AddNoteOn(300, 0, 67, 0.6f, noteId: 2); }
            if (b == 3) rig.Events.AddNoteOff(50, 0, 60, 0f, noteId: 1);
            if (b == 5) rig.Events.AddNoteOn(0, 0, 72, 1f, noteId: 3);
            Assert.Equal(TResult.ResultOk, rig.Process(480));
            var bus = rig.Buffers.OutputBuses[0];
            for (int c = 0; c < 2; c++)
            {
                hostEntries[c] = sampleSize == SymbolicSampleSizes.Sample64 ? (nint)bus.ChannelBuffers64[c] : (nint)bus.ChannelBuffers32[c];
                Assert.NotEqual(0, hostEntries[c]);
                var block = new double[480];
                for (int i = 0; i < 480; i++)
                    block[i] = sampleSize == SymbolicSampleSizes.Sample64 ? bus.ChannelBuffers64[c][i] : bus.ChannelBuffers32[c][i];
                blocks.Add(block);
            }
        }
        return blocks;
    }

    [Theory]
    [MemberData(nameof(SampleSizes))]
    public void Null_outputs_render_into_internal_buffers_identical_to_host_buffers(int sampleSize)
    {
        var normal = RenderSequence(sampleSize, ChannelPointerMode.Owned, out _);
        var internalBuffers = RenderSequence(sampleSize, ChannelPointerMode.Null, out nint[] entries);
        // The host's null entries now point at the plugin's internal buffers, which hold the notes.
        Assert.All(entries, e => Assert.NotEqual(0, e));
        Assert.True(internalBuffers.Max(b => DirectRig.Peak(b)) > 0.1, "notes rendered");
        Assert.Equal(normal.Count, internalBuffers.Count);
        for (int i = 0; i < normal.Count; i++) Assert.Equal(normal[i], internalBuffers[i]);
    }

    [Theory]
    [MemberData(nameof(SampleSizes))]
    public void Note_storm_allocates_nothing(int sampleSize)
    {
        using var rig = new DirectRig(new PluginProcessor(SamplerModel.Instance), sampleSize);
        var rng = new Random(3);
        void Block(int i)
        {
            int frames = i % 9 == 0 ? 0 : 1 + rng.Next(512);
            for (int k = 0; k < 24; k++)
            {
                int offset = frames == 0 ? 0 : rng.Next(frames);
                if (k % 2 == 0) rig.Events.AddNoteOn(offset, 0, (short)(30 + rng.Next(70)), (float)rng.NextDouble(), noteId: i * 100 + k);
                else rig.Events.AddNoteOff(offset, 0, (short)(30 + rng.Next(70)), 0f, noteId: i * 100 + k - 1);
            }
            rig.Changes.AddPoint(SamplerModel.Cutoff, 0, rng.NextDouble());
            rig.Changes.AddPoint(SamplerModel.Volume, 0, rng.NextDouble());
            rig.Process(frames);
        }
        for (int i = 0; i < 50; i++) Block(i);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++) Block(i);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.Equal(SamplerEngineLimits.MaxVoices, rig.Processor.SamplerEngine().VoiceCapacity);
    }

    [Fact]
    public void Bypass_fades_the_instrument_to_silence()
    {
        using var rig = new DirectRig(new PluginProcessor(SamplerModel.Instance));
        rig.Events.AddNoteOn(0, 0, 60, 1f);
        rig.Process(512);
        rig.Changes.AddPoint(SamplerModel.Bypass, 0, 1);
        rig.Process(512);
        var fading = rig.Output(0, 0, 512);
        // A 10 ms fade at 48 kHz: non-zero at its start, zero after 480 frames.
        Assert.True(Math.Abs(fading[0]) > 0 || Math.Abs(fading[1]) > 0);
        Assert.Equal(0, DirectRig.Peak(fading.AsSpan(481)));
        rig.Process(512);
        Assert.Equal(3ul, rig.Buffers.OutputBuses[0].SilenceFlags);
    }

    [Fact]
    public void Terminate_then_initialize_plays_again()
    {
        var p = new PluginProcessor(SamplerModel.Instance);
        using (var rig = new DirectRig(p)) { }
        using var again = new DirectRig(p);
        again.Events.AddNoteOn(0, 0, 60, 1f);
        again.Process(512);
        Assert.True(DirectRig.Peak(again.Output(0, 0, 512)) > 0.05);
    }
}

public class SamplerArrangementTests
{
    [Fact]
    public void Sampler_accepts_only_stereo_out_and_suggests_stereo()
    {
        var p = new PluginProcessor(SamplerModel.Instance);
        p.Initialize();
        Assert.Equal(TResult.ResultTrue, p.SetBusArrangements([], [NPlug.Buffers.Interop.Abi.SpeakerArrangements.Stereo]));
        Assert.Equal(TResult.ResultFalse, p.SetBusArrangements([], [NPlug.Buffers.Interop.Abi.SpeakerArrangements.Mono]));
        Assert.Equal(NPlug.Buffers.Interop.Abi.SpeakerArrangements.Stereo, p.AudioOutputs[0].Arrangement);
        Assert.Equal(TResult.ResultFalse, p.SetBusArrangements([NPlug.Buffers.Interop.Abi.SpeakerArrangements.Stereo], [NPlug.Buffers.Interop.Abi.SpeakerArrangements.Stereo]));
        p.Terminate();
    }
}
