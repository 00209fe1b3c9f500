using NPlug.Buffers.Buses;
using NPlug.Buffers.Interop.Framework;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Hosting;
using NPlug.Buffers.Hosting.Com;
using NPlug.Buffers.Plugin.GainEq;
using Speakers = NPlug.Buffers.Interop.Abi.SpeakerArrangements;

namespace NPlug.Buffers.Tests.Direct;

public unsafe class GainEqBehaviourTests
{
    public static TheoryData<int> SampleSizes => new() { SymbolicSampleSizes.Sample32, SymbolicSampleSizes.Sample64 };

    private static double Normalized(uint id, double plain) => GainEqModel.Instance.Parameters.Find(id)!.ToNormalized(plain);

    private static Func<int, double> Sine(double hz, double amplitude = 0.5, double rate = 48000) =>
        i => amplitude * Math.Sin(2 * Math.PI * hz * i / rate);

    /// <summary>Runs <paramref name="blocks"/> blocks of a sine through channel 0/1 and returns the last block's output peak.</summary>
    private static double RunSine(DirectRig rig, double hz, int blocks, int frames = 512, double amplitude = 0.5)
    {
        int t = 0;
        double peak = 0;
        for (int b = 0; b < blocks; b++, t += frames)
        {
            rig.SetInput(0, 0, Sine(hz, amplitude), frames, t);
            rig.SetInput(0, 1, Sine(hz, amplitude), frames, t);
            Assert.Equal(TResult.ResultOk, rig.Process(frames));
            peak = DirectRig.Peak(rig.Output(0, 0, frames));
        }
        return peak;
    }

    [Theory]
    [MemberData(nameof(SampleSizes))]
    public void Output_gain_of_minus_6_dB_halves_a_sine(int sampleSize)
    {
        using var rig = new DirectRig(new PluginProcessor(GainEqModel.Instance), sampleSize);
        rig.Changes.AddPoint(GainEqModel.OutputGain, 0, Normalized(GainEqModel.OutputGain, -6));
        double peak = RunSine(rig, 1000, 20);
        Assert.Equal(0.5 * Math.Pow(10, -6 / 20.0), peak, 3);
    }

    [Theory]
    [MemberData(nameof(SampleSizes))]
    public void Peaking_band_lifts_its_centre_by_its_gain(int sampleSize)
    {
        using var rig = new DirectRig(new PluginProcessor(GainEqModel.Instance), sampleSize);
        // Band 2 (default Peaking) at 1 kHz, +6 dB, Q 1; the other bands at 0 dB gain are flat.
        rig.Changes.AddPoint(GainEqModel.BandId(1, GainEqModel.BandFrequency), 0, Normalized(GainEqModel.BandId(1, GainEqModel.BandFrequency), 1000));
        rig.Changes.AddPoint(GainEqModel.BandId(1, GainEqModel.BandGain), 0, Normalized(GainEqModel.BandId(1, GainEqModel.BandGain), 6));
        rig.Changes.AddPoint(GainEqModel.BandId(1, GainEqModel.BandQ), 0, Normalized(GainEqModel.BandId(1, GainEqModel.BandQ), 1));
        double peak = RunSine(rig, 1000, 40, amplitude: 0.25);
        // +6 dB at the centre of an RBJ peaking filter is exact: ×10^(6/20).
        Assert.Equal(0.25 * Math.Pow(10, 6 / 20.0), peak, 2);
    }

    [Theory]
    [MemberData(nameof(SampleSizes))]
    public void Flush_applies_bypass_and_state_keeps_it(int sampleSize)
    {
        using var rig = new DirectRig(new PluginProcessor(GainEqModel.Instance), sampleSize);
        rig.Changes.AddPoint(GainEqModel.OutputGain, 0, Normalized(GainEqModel.OutputGain, -20));
        RunSine(rig, 500, 4);
        // Flush: no samples, no buffers, only the bypass change.
        rig.Buffers.Prepare(0, sampleSize);
        rig.Buffers.Data->NumInputs = rig.Buffers.Data->NumOutputs = 0;
        rig.Buffers.Data->Inputs = rig.Buffers.Data->Outputs = null;
        rig.Changes.AddPoint(GainEqModel.Bypass, 0, 1);
        rig.Buffers.Data->InputParameterChanges = (void*)rig.Changes.Pointer;
        Assert.Equal(TResult.ResultOk, rig.Processor.Process(rig.Buffers.Data));
        rig.Changes.Clear();

        var state = rig.GetState();
        var values = GainEqModel.Instance.Parameters.CreateDefaults();
        Assert.True(PluginStateFormat.TryDecode(GainEqModel.Instance.Parameters, GainEqModel.StateClassTag, state, values));
        GainEqModel.Instance.Parameters.TryGetIndex(GainEqModel.Bypass, out int bypassIndex);
        Assert.Equal(1.0, values[bypassIndex]);

        // After the crossfade the bypassed output equals the input (the -20 dB gain no longer applies).
        double peak = RunSine(rig, 500, 10);
        Assert.Equal(0.5, peak, 3);
    }

    [Theory]
    [MemberData(nameof(SampleSizes))]
    public void State_loaded_while_processing_reaches_the_audio_thread(int sampleSize)
    {
        using var rig = new DirectRig(new PluginProcessor(GainEqModel.Instance), sampleSize);
        var unity = rig.GetState();
        rig.Changes.AddPoint(GainEqModel.OutputGain, 0, Normalized(GainEqModel.OutputGain, -20));
        Assert.Equal(0.05, RunSine(rig, 800, 10), 3);
        // setState arrives on the UI thread while the processor is active; the next blocks move to the loaded values.
        using (var ms = new MemoryStream(unity)) Assert.Equal(TResult.ResultOk, rig.Processor.SetState(ms));
        Assert.Equal(0.5, RunSine(rig, 800, 10), 3);
        // A refused blob changes nothing.
        using (var ms = new MemoryStream(new byte[] { 1, 2, 3 })) Assert.Equal(TResult.ResultFalse, rig.Processor.SetState(ms));
        Assert.Equal(unity, rig.GetState());
    }

    [Theory]
    [MemberData(nameof(SampleSizes))]
    public void Silent_input_with_silent_tail_sets_the_output_flags_and_zeroes(int sampleSize)
    {
        using var rig = new DirectRig(new PluginProcessor(GainEqModel.Instance), sampleSize);
        RunSine(rig, 300, 2);
        // Silence long enough for the filters' tail to die away, input flagged silent.
        for (int b = 0; b < 400; b++)
        {
            rig.SetInput(0, 0, _ => 0, 512);
            rig.SetInput(0, 1, _ => 0, 512);
            rig.Buffers.Prepare(512, sampleSize);
            rig.Buffers.InputBuses[0].SilenceFlags = 3;
            Assert.Equal(TResult.ResultOk, rig.Processor.Process(rig.Buffers.Data));
        }
        Assert.Equal(3ul, rig.Buffers.OutputBuses[0].SilenceFlags);
        Assert.Equal(0, DirectRig.Peak(rig.Output(0, 0, 512)));
        Assert.Equal(0, DirectRig.Peak(rig.Output(0, 1, 512)));
        // Sound again: the flag is cleared.
        RunSine(rig, 300, 1);
        Assert.Equal(0ul, rig.Buffers.OutputBuses[0].SilenceFlags);
    }

    [Fact]
    public void Channel_count_that_differs_from_the_arrangement_is_an_invalid_argument()
    {
        using var rig = new DirectRig(new PluginProcessor(GainEqModel.Instance));
        rig.Buffers.Prepare(64, SymbolicSampleSizes.Sample32);
        rig.Buffers.OutputBuses[0].NumChannels = 1;
        rig.Buffers.FillOutputs(0.5, SymbolicSampleSizes.Sample32);
        Assert.Equal(TResult.InvalidArgument, rig.Processor.Process(rig.Buffers.Data));
        Assert.Equal(0.5, rig.Output(0, 0, 64)[0]); // refused blocks leave the buffers alone
        rig.Buffers.Prepare(64, SymbolicSampleSizes.Sample32);
        rig.Buffers.Data->NumInputs = 3;
        Assert.Equal(TResult.InvalidArgument, rig.Processor.Process(rig.Buffers.Data));
        // The sidechain is inactive: whatever it carries is ignored.
        rig.Buffers.Prepare(64, SymbolicSampleSizes.Sample32);
        rig.Buffers.InputBuses[1].NumChannels = 5;
        Assert.Equal(TResult.ResultOk, rig.Processor.Process(rig.Buffers.Data));
        // A valid block afterwards is fine.
        Assert.Equal(TResult.ResultOk, rig.Process(64));
    }

    [Fact]
    public void Arrangements_accept_mono_stereo_51_and_mono_to_stereo_and_suggest_otherwise()
    {
        var p = new PluginProcessor(GainEqModel.Instance);
        p.Initialize();
        Assert.Equal(TResult.ResultTrue, p.SetBusArrangements([Speakers.Mono, Speakers.Stereo], [Speakers.Stereo]));
        Assert.Equal(1, p.AudioInputs[0].ChannelCount);
        Assert.Equal(TResult.ResultTrue, p.SetBusArrangements([Speakers.K51, Speakers.Stereo], [Speakers.K51]));
        Assert.Equal(6, p.AudioOutputs[0].ChannelCount);
        Assert.Equal(TResult.ResultTrue, p.SetBusArrangements([Speakers.Mono, Speakers.Mono], [Speakers.Mono]));
        // Refused requests leave the closest supported layout behind as the suggestion the host reads back.
        Assert.Equal(TResult.ResultFalse, p.SetBusArrangements([Speakers.K30Cine, Speakers.Stereo], [Speakers.K30Cine]));
        Assert.Equal(Speakers.Stereo, p.AudioOutputs[0].Arrangement);
        Assert.Equal(TResult.ResultFalse, p.SetBusArrangements([Speakers.K50, Speakers.Stereo], [Speakers.K50]));
        Assert.Equal(Speakers.K51, p.AudioInputs[0].Arrangement);
        Assert.Equal(Speakers.K51, p.AudioOutputs[0].Arrangement);
        Assert.Equal(TResult.ResultFalse, p.SetBusArrangements([Speakers.Stereo, Speakers.Stereo], [Speakers.Mono]));
        Assert.Equal(Speakers.Mono, p.AudioInputs[0].Arrangement);
        Assert.Equal(TResult.ResultFalse, p.SetBusArrangements([Speakers.Stereo, Speakers.K51], [Speakers.Stereo]));
        Assert.Equal(Speakers.Stereo, p.AudioInputs[1].Arrangement); // sidechain: mono or stereo only
        for (int i = 0; i < p.AudioInputs.Count; i++)
        {
            Assert.Equal(TResult.ResultOk, p.GetBusArrangement(BusDirection.Input, i, out ulong a));
            Assert.Equal(System.Numerics.BitOperations.PopCount(a), p.AudioInputs[i].ChannelCount);
        }
        p.Terminate();
    }

    [Theory]
    [MemberData(nameof(SampleSizes))]
    public void Mono_input_feeds_both_stereo_outputs(int sampleSize)
    {
        using var rig = new DirectRig(new PluginProcessor(GainEqModel.Instance), sampleSize, beforeSetup: p =>
            Assert.Equal(TResult.ResultTrue, p.SetBusArrangements([Speakers.Mono, Speakers.Stereo], [Speakers.Stereo])));
        rig.SetInput(0, 0, Sine(440), 512);
        Assert.Equal(TResult.ResultOk, rig.Process(512));
        var l = rig.Output(0, 0, 512);
        var r = rig.Output(0, 1, 512);
        Assert.Equal(l, r);
        Assert.Equal(0.5, DirectRig.Peak(l), 2);
    }

    [Theory]
    [MemberData(nameof(SampleSizes))]
    public void Loud_sidechain_ducks_the_output_and_reports_gain_reduction(int sampleSize)
    {
        using var rig = new DirectRig(new PluginProcessor(GainEqModel.Instance), sampleSize, beforeSetup: p =>
            Assert.Equal(TResult.ResultOk, p.ActivateBus(MediaType.Audio, BusDirection.Input, 1, true)));
        rig.Changes.AddPoint(GainEqModel.DuckDepth, 0, Normalized(GainEqModel.DuckDepth, 12));
        double quiet = 0, ducked = 0;
        // Meters reach the host when their value changes: the host's view is the last value it received.
        double? lastGr = null;
        for (int b = 0; b < 60; b++)
        {
            bool key = b >= 20;
            rig.SetInput(0, 0, Sine(220, 0.25), 512, b * 512);
            rig.SetInput(0, 1, Sine(220, 0.25), 512, b * 512);
            rig.SetInput(1, 0, key ? Sine(3000, 0.9) : _ => 0, 512, b * 512);
            rig.SetInput(1, 1, key ? Sine(3000, 0.9) : _ => 0, 512, b * 512);
            Assert.Equal(TResult.ResultOk, rig.Process(512));
            double peak = DirectRig.Peak(rig.Output(0, 0, 512));
            if (b == 19) quiet = peak;
            if (b == 59) ducked = peak;
            if (rig.OutputChanges.Find(GainEqModel.GainReduction) is { } queue) lastGr = queue.LastValueOr(0);
        }
        Assert.Equal(0.25, quiet, 2);
        // A full-scale key is far above the ducker's range: the whole 12 dB depth applies.
        Assert.Equal(0.25 * Math.Pow(10, -12 / 20.0), ducked, 2);
        Assert.NotNull(lastGr);
        double grDb = GainEqModel.Instance.Parameters.Find(GainEqModel.GainReduction)!.ToPlain(lastGr!.Value);
        Assert.Equal(12, grDb, 0);
    }

    [Theory]
    [MemberData(nameof(SampleSizes))]
    public void Processing_with_automation_and_flushes_allocates_nothing(int sampleSize)
    {
        using var rig = new DirectRig(new PluginProcessor(GainEqModel.Instance), sampleSize);
        var rng = new Random(11);
        void Block(int i)
        {
            int frames = i % 7 == 0 ? 0 : 1 + rng.Next(512);
            for (int k = 0; k < 6; k++)
            {
                var def = GainEqModel.Instance.Parameters[(i + k) % (GainEqModel.Instance.Parameters.Count - 2)];
                rig.Changes.AddPoint(def.Id, 0, rng.NextDouble());
                if (frames > 1) rig.Changes.AddPoint(def.Id, frames - 1, rng.NextDouble());
            }
            rig.Process(frames);
        }
        // Warm-up: tier-0 code, call counting and OSR transitions allocate once on this thread; run past them and let
        // the background tiering settle (as the other allocation probes do).
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 500; i++) Block(i);
            Thread.Sleep(150);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3000; i++) Block(i);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
