using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using NPlug.Buffers.Dsp;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Interop.Framework;
using NPlug.Buffers.Tests.Direct;

namespace NPlug.Buffers.Tests.Framework;

/// <summary>
/// What the framework gives any model-based plugin, shown on a tiny model: a gain effect whose bypass the framework
/// fades, whose DSP can refuse a block, and which keeps a text section of its own in the state.
/// </summary>
public sealed class FrameworkTests
{
    private sealed class TinyModel : AudioPluginModel
    {
        public TinyModel(bool withSection = false)
            : base("Tiny Gain", "0A1B2C3D-0000-4000-8000-000000000001", "0A1B2C3D-0000-4000-8000-000000000002", "Fx", stateTag: 77)
        {
            WithSection = withSection;
            Gain = AddParameter(AudioParameter.Linear(0, "Gain", -24, 0, 0, "dB"));
            Refuse = AddParameter(AudioParameter.Toggle(1, "Refuse"));
            AddBypassParameter(2);
            AddAudioInput("In", SpeakerArrangement.Stereo);
            AddAudioOutput("Out", SpeakerArrangement.Stereo);
        }

        public bool WithSection { get; }
        public AudioParameter Gain { get; }
        public AudioParameter Refuse { get; }
        public TextSection? LastSection { get; private set; }

        public override AudioDsp<T> CreateDsp<T>() => new TinyDsp<T>(this);

        public override IStateSection? CreateStateSection() => WithSection ? LastSection = new TextSection() : null;
    }

    private sealed class TinyDsp<T>(TinyModel model) : AudioDsp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        private T _state; // a one-pole low-pass on the scratch copy: state carried across passes

        public override void Prepare(in DspSetup setup) => setup.RequestScratch(1);

        public override DspResult Process(in ProcessContext<T> context)
        {
            if (context.Parameters.Plain(model.Refuse) >= 0.5) return DspResult.InvalidArgument;
            T gain = T.CreateTruncating(Math.Pow(10, context.Parameters.Plain(model.Gain) / 20));
            // Channel 0 is low-passed through scratch (state carried from pass to pass); channel 1 is plain gain.
            var scratch = context.Scratch[0];
            context.MainInput[0].CopyTo(scratch);
            T a = T.CreateTruncating(0.1);
            for (int i = 0; i < scratch.Length; i++) scratch[i] = _state += a * (scratch[i] - _state);
            VectorKernels.Gain<T>(scratch, context.MainOutput[0], gain);
            for (int c = 1; c < context.MainOutput.ChannelCount; c++)
                VectorKernels.Gain<T>(context.MainInput[c], context.MainOutput[c], gain);
            return DspResult.Ok;
        }
    }

    /// <summary>A plugin-owned section: a UTF-8 name of at most 32 bytes; anything else is refused.</summary>
    private sealed class TextSection : IStateSection
    {
        public string Text { get; set; } = "";
        public int MaxBytes => 36;

        public int Write(Span<byte> destination)
        {
            int n = Encoding.UTF8.GetBytes(Text, destination[4..]);
            BinaryPrimitives.WriteInt32LittleEndian(destination, n);
            return 4 + n;
        }

        public bool Validate(ReadOnlySpan<byte> source) =>
            source.Length >= 4 && BinaryPrimitives.ReadInt32LittleEndian(source) is var n && n >= 0 && n <= 32 && n == source.Length - 4;

        public void Apply(ReadOnlySpan<byte> source) => Text = Encoding.UTF8.GetString(source[4..]);
    }

    private static void Fill(DirectRig rig, int frames, int start)
    {
        for (int c = 0; c < 2; c++) rig.SetInput(0, c, i => 0.5 * Math.Sin(2 * Math.PI * 300 * i / 48000.0 + c), frames, start);
    }

    [Theory]
    [InlineData(SymbolicSampleSizes.Sample32)]
    [InlineData(SymbolicSampleSizes.Sample64)]
    public void Framework_bypass_crossfades_into_the_dry_input_and_back(int sampleSize)
    {
        var model = new TinyModel();
        using var rig = new DirectRig(new PluginProcessor(model), sampleSize, maxBlock: 512);
        rig.Changes.AddPoint(0, 0, model.Gain.ToNormalized(-12));
        Fill(rig, 512, 0);
        Assert.Equal(TResult.ResultOk, rig.Process(512));
        var input = Enumerable.Range(0, 512).Select(i => 0.5 * Math.Sin(2 * Math.PI * 300 * (512 + i) / 48000.0 + 1)).ToArray();

        rig.Changes.AddPoint(2, 0, 1); // bypass on: 10 ms = 480 frames at 48 kHz
        Fill(rig, 512, 512);
        Assert.Equal(TResult.ResultOk, rig.Process(512));
        var fading = rig.Output(0, 1, 512); // channel 1: plain gain (channel 0 is low-passed)
        double wet = Math.Pow(10, -12 / 20.0);
        double tolerance = sampleSize == SymbolicSampleSizes.Sample32 ? 2e-6 : 1e-12;
        for (int i = 0; i < 480; i++)
        {
            double g = 1 - (i + 1) / 480.0; // linear fade of the processed signal
            Assert.True(Math.Abs(fading[i] - (g * wet * input[i] + (1 - g) * input[i])) <= tolerance, $"frame {i}");
        }
        for (int i = 480; i < 512; i++) Assert.Equal(sampleSize == SymbolicSampleSizes.Sample32 ? (float)input[i] : input[i], fading[i]);

        rig.Changes.AddPoint(2, 0, 0); // bypass off: back to the processed signal after the fade
        Fill(rig, 512, 1024);
        Assert.Equal(TResult.ResultOk, rig.Process(512));
        var back = rig.Output(0, 1, 512);
        double last = 0.5 * Math.Sin(2 * Math.PI * 300 * (1024 + 511) / 48000.0 + 1);
        Assert.Equal(wet * last, back[511], sampleSize == SymbolicSampleSizes.Sample32 ? 6 : 12);
    }

    [Theory]
    [InlineData(SymbolicSampleSizes.Sample32)]
    [InlineData(SymbolicSampleSizes.Sample64)]
    public void An_empty_scratch_pool_renders_the_same_samples_in_shorter_passes_and_counts_the_misses(int sampleSize)
    {
        List<double[]> Render(bool starved, out long misses)
        {
            var options = new NPlug.Buffers.Pools.ScratchPoolOptions { ReserveOnRegister = !starved, StartWorker = false, TrimDelay = TimeSpan.Zero };
            using var pool32 = new NPlug.Buffers.Pools.ScratchPool<float>(options);
            using var pool64 = new NPlug.Buffers.Pools.ScratchPool<double>(options);
            var model = new TinyModel();
            var processor = new PluginProcessor(model) { ScratchPool32 = pool32, ScratchPool64 = pool64 };
            var blocks = new List<double[]>();
            using (var rig = new DirectRig(processor, sampleSize, maxBlock: 512))
            {
                int t = 0;
                foreach (int frames in new[] { 512, 100, 37, 512, 300 })
                {
                    if (t == 612) rig.Changes.AddPoint(2, 5, 1); // a bypass fade that spans several passes
                    if (t == 649) rig.Changes.AddPoint(0, 200, model.Gain.ToNormalized(-9));
                    Fill(rig, frames, t);
                    Assert.Equal(TResult.ResultOk, rig.Process(frames));
                    blocks.Add(rig.Output(0, 0, frames));
                    blocks.Add(rig.Output(0, 1, frames));
                    t += frames;
                }
                misses = sampleSize == SymbolicSampleSizes.Sample32 ? pool32.GetStatistics().Misses : pool64.GetStatistics().Misses;
            }
            return blocks;
        }

        var pooled = Render(starved: false, out long pooledMisses);
        var starved = Render(starved: true, out long starvedMisses);
        Assert.Equal(0, pooledMisses);
        Assert.Equal(5, starvedMisses); // one per rendered block
        Assert.True(pooled.Max(b => b.Max(Math.Abs)) > 0.1);
        for (int i = 0; i < pooled.Count; i++) Assert.Equal(pooled[i], starved[i]);
    }

    /// <summary>An effect whose DSP splits blocks itself (RequestScratch(channels, minFrames)) and records what it was given.</summary>
    private sealed class SplittingModel : AudioPluginModel
    {
        public SplittingModel(bool frameworkBypass)
            : base("Splitter", "0A1B2C3D-0000-4000-8000-000000000011", "0A1B2C3D-0000-4000-8000-000000000012", "Fx", stateTag: 78)
        {
            if (frameworkBypass) AddBypassParameter(2);
            AddAudioInput("In", SpeakerArrangement.Stereo);
            AddAudioOutput("Out", SpeakerArrangement.Stereo);
        }

        public List<(int Frames, int ScratchFrames)> Calls { get; } = [];

        public override AudioDsp<T> CreateDsp<T>() => new SplittingDsp<T>(this);
    }

    private sealed class SplittingDsp<T>(SplittingModel model) : AudioDsp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public override void Prepare(in DspSetup setup) => setup.RequestScratch(2, minFrames: 32);

        public override DspResult Process(in ProcessContext<T> context)
        {
            model.Calls.Add((context.Frames, context.Scratch.FrameCount)); // a test DSP: allocation is fine here
            for (int c = 0; c < 2; c++) context.MainInput[c].CopyTo(context.MainOutput[c]);
            return DspResult.Ok;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_dsp_that_splits_blocks_itself_gets_the_whole_block_with_a_short_scratch(bool frameworkBypass)
    {
        var options = new NPlug.Buffers.Pools.ScratchPoolOptions { ReserveOnRegister = false, StartWorker = false, TrimDelay = TimeSpan.Zero };
        using var pool = new NPlug.Buffers.Pools.ScratchPool<float>(options);
        var model = new SplittingModel(frameworkBypass);
        using var rig = new DirectRig(new PluginProcessor(model) { ScratchPool32 = pool }, SymbolicSampleSizes.Sample32, maxBlock: 4096);
        Fill(rig, 1000, 0);
        Assert.Equal(TResult.ResultOk, rig.Process(1000));
        Assert.Equal(1, pool.GetStatistics().Misses);
        int fallback = NPlug.Buffers.Pools.ScratchPool<float>.DefaultFallbackFrames(4096); // 64
        if (frameworkBypass)
        {
            // The framework's own fade needs the dry copy for the whole pass: passes as for any DSP.
            Assert.Equal(Enumerable.Range(0, (1000 + fallback - 1) / fallback).Select(p => (Math.Min(fallback, 1000 - p * fallback), Math.Min(fallback, 1000 - p * fallback))), model.Calls);
        }
        else
        {
            Assert.Equal([(1000, fallback)], model.Calls);
        }
        var output = rig.Output(0, 1, 1000);
        Assert.Equal(0.5 * Math.Sin(2 * Math.PI * 300 * 999 / 48000.0 + 1), output[999], 6);
    }

    [Fact]
    public void A_dsp_refusal_reaches_the_host_as_a_result_code()
    {
        var model = new TinyModel();
        using var rig = new DirectRig(new PluginProcessor(model));
        Fill(rig, 256, 0);
        Assert.Equal(TResult.ResultOk, rig.Process(256));
        rig.Changes.AddPoint(1, 0, 1);
        Assert.Equal(TResult.InvalidArgument, rig.Process(256));
        rig.Changes.AddPoint(1, 0, 0);
        Assert.Equal(TResult.ResultOk, rig.Process(256));
    }

    [Fact]
    public void A_plugin_section_is_stored_with_the_values_and_loaded_all_or_nothing()
    {
        var model = new TinyModel(withSection: true);
        var processor = new PluginProcessor(model);
        var section = model.LastSection!;
        section.Text = "kick drum.wav";
        processor.Store[0] = 0.25;
        using var ms = new MemoryStream();
        Assert.Equal(TResult.ResultOk, processor.GetState(ms));
        byte[] blob = ms.ToArray();
        Assert.Equal(PluginStateFormat.SectionVersion, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(4)));

        section.Text = "other";
        processor.Store[0] = 0.9;
        Assert.Equal(TResult.ResultOk, processor.SetState(new MemoryStream(blob)));
        Assert.Equal("kick drum.wav", section.Text);
        Assert.Equal(0.25, processor.Store[0]);

        // A section the plugin refuses (valid checksum, bad content) changes nothing: neither values nor section.
        var bad = (byte[])blob.Clone();
        int sectionStart = blob.Length - 4 - (4 + 13);
        BinaryPrimitives.WriteInt32LittleEndian(bad.AsSpan(sectionStart), 99);
        BinaryPrimitives.WriteUInt32LittleEndian(bad.AsSpan(bad.Length - 4), Crc32.Compute(bad.AsSpan(0, bad.Length - 4)));
        processor.Store[0] = 0.5;
        Assert.Equal(TResult.ResultFalse, processor.SetState(new MemoryStream(bad)));
        Assert.Equal(0.5, processor.Store[0]);
        Assert.Equal("kick drum.wav", section.Text);

        // The controller reads the same blob for its values and ignores the section.
        var controller = new PluginController(model);
        Assert.Equal(TResult.ResultOk, controller.Initialize());
        Assert.Equal(TResult.ResultOk, controller.SetComponentState(new MemoryStream(blob)));
        Assert.Equal(0.25, controller.GetParamNormalized(0));
    }

    [Fact]
    public void A_model_without_a_section_writes_the_first_release_format()
    {
        var processor = new PluginProcessor(new TinyModel());
        using var ms = new MemoryStream();
        Assert.Equal(TResult.ResultOk, processor.GetState(ms));
        Assert.Equal(PluginStateFormat.ValuesOnlyVersion, BinaryPrimitives.ReadUInt16LittleEndian(ms.ToArray().AsSpan(4)));
        Assert.Equal(PluginStateFormat.SizeFor(3), ms.Length);
    }
}
