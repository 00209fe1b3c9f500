using System.Runtime.InteropServices;
using NPlug.Buffers.Plugin.Sampler;
using NPlug.Buffers.Pools;

namespace NPlug.Buffers.Tests.Sampler;

/// <summary>Owns a generated default sample and planar output buffers for engine tests.</summary>
internal sealed unsafe class EngineRig : IDisposable
{
    public readonly SharedBufferRegistry Registry = new();
    private readonly double*[] _out;
    private readonly double** _channels;
    public readonly int MaxFrames;
    public readonly SamplerEngine Engine = new();

    public EngineRig(double sampleRate = 48000, int maxFrames = 4096)
    {
        var sample = Registry.Allocate(0, 2, DefaultSample.FrameCount, DefaultSample.SampleRate);
        DefaultSample.Generate(sample.GetWritableChannel(0), sample.GetWritableChannel(1));
        Registry.Register(sample);
        MaxFrames = maxFrames;
        _channels = (double**)NativeMemory.Alloc(2, (nuint)sizeof(double*));
        _out = new double*[2];
        for (int c = 0; c < 2; c++) _channels[c] = _out[c] = (double*)NativeMemory.AllocZeroed((nuint)(maxFrames * sizeof(double)));
        Engine.Prepare(sampleRate);
        Engine.SetSampleSource(Registry, 0, DefaultSample.RootNote);
        Engine.SetVolume(1.0);
        Engine.SetCutoff(20000);
        Engine.SetResonance(0.707);
        Engine.Reset();
    }

    public AudioBlock<double> Block(int frames) => new(_channels, 2, frames);

    public Span<double> Channel(int c, int frames) => new(_out[c], frames);

    /// <summary>Clears then renders <paramref name="frames"/> frames; returns a copy of the left channel.</summary>
    public double[] Render(int frames, int channel = 0)
    {
        if (frames > MaxFrames) throw new ArgumentOutOfRangeException(nameof(frames));
        Channel(0, frames).Clear();
        Channel(1, frames).Clear();
        Engine.Render(Block(frames));
        return Channel(channel, frames).ToArray();
    }

    public void Dispose()
    {
        Engine.Reset();
        Registry.Dispose();
        for (int c = 0; c < 2; c++) NativeMemory.Free(_out[c]);
        NativeMemory.Free(_channels);
    }
}

public class SamplerEngineTests
{
    private static double Peak(ReadOnlySpan<double> x) { double p = 0; foreach (var v in x) p = Math.Max(p, Math.Abs(v)); return p; }
    private static double Energy(ReadOnlySpan<double> x) { double e = 0; foreach (var v in x) e += v * v; return e; }

    /// <summary>Goertzel power at one frequency: an independent way to find which pitch is playing.</summary>
    private static double PowerAt(ReadOnlySpan<double> x, double hz, double sampleRate)
    {
        double w = 2 * Math.PI * hz / sampleRate, coeff = 2 * Math.Cos(w), s1 = 0, s2 = 0;
        foreach (var v in x) { double s0 = v + coeff * s1 - s2; s2 = s1; s1 = s0; }
        return s1 * s1 + s2 * s2 - coeff * s1 * s2;
    }

    [Fact]
    public void Default_sample_is_a_decaying_tone_at_middle_c()
    {
        var l = new float[DefaultSample.FrameCount];
        var r = new float[DefaultSample.FrameCount];
        DefaultSample.Generate(l, r);
        Assert.Equal(DefaultSample.PeakLevel, l.Concat(r).Max(v => Math.Abs(v)), 5);
        var early = l.AsSpan(2400, 4800).ToArray().Select(v => (double)v).ToArray();
        var late = l.AsSpan(l.Length - 4800, 4800).ToArray().Select(v => (double)v).ToArray();
        Assert.True(Energy(late) < 0.1 * Energy(early), "decays");
        Assert.True(PowerAt(early, 261.6256, 48000) > 50 * PowerAt(early, 370, 48000), "fundamental at C4");
    }

    [Fact]
    public void Note_starts_at_its_offset_and_plays_at_the_transposed_pitch()
    {
        using var rig = new EngineRig();
        // Render 100 silent frames, then the note.
        var before = rig.Render(100);
        Assert.Equal(0, Peak(before));
        rig.Engine.NoteOn(72, 1.0);
        var after = rig.Render(4096);
        Assert.True(Peak(after) > 0.3);
        // An octave up: energy at 2·f0, not at f0.
        double f0 = DefaultSample.RootFrequency * 48000 / DefaultSample.SampleRate;
        var steady = after.AsSpan(1024).ToArray();
        Assert.True(PowerAt(steady, 2 * f0, 48000) > 100 * PowerAt(steady, f0, 48000));
    }

    [Fact]
    public void Output_scales_linearly_with_velocity()
    {
        using var a = new EngineRig();
        using var b = new EngineRig();
        a.Engine.NoteOn(60, 1.0);
        b.Engine.NoteOn(60, 0.25);
        var ya = a.Render(2048);
        var yb = b.Render(2048);
        for (int i = 0; i < ya.Length; i++) Assert.Equal(0.25 * ya[i], yb[i], 12);
    }

    [Fact]
    public void Low_cutoff_removes_the_upper_harmonics()
    {
        using var open = new EngineRig();
        using var dark = new EngineRig();
        dark.Engine.SetCutoff(300);
        dark.Engine.Reset();
        open.Engine.NoteOn(60, 1.0);
        dark.Engine.NoteOn(60, 1.0);
        var yo = open.Render(4096).AsSpan(1024).ToArray();
        var yd = dark.Render(4096).AsSpan(1024).ToArray();
        double h4 = 4 * DefaultSample.RootFrequency;
        // 1046 Hz is ~1.8 octaves above a 300 Hz 2-pole low-pass: ≥ 20 dB down relative to the open filter.
        Assert.True(PowerAt(yd, h4, 48000) < 0.01 * PowerAt(yo, h4, 48000));
        // The fundamental (below the cutoff) survives within 3 dB.
        double ratio = PowerAt(yd, DefaultSample.RootFrequency, 48000) / PowerAt(yo, DefaultSample.RootFrequency, 48000);
        Assert.InRange(ratio, 0.5, 2.0);
    }

    [Fact]
    public void Full_pool_steals_the_oldest_voice()
    {
        using var rig = new EngineRig();
        for (int n = 0; n < SamplerEngineLimits.MaxVoices; n++) rig.Engine.NoteOn(30 + n, 0.5);
        Assert.Equal(SamplerEngineLimits.MaxVoices, rig.Engine.ActiveVoiceCount);
        rig.Render(64);
        rig.Engine.NoteOn(100, 0.5);
        Assert.Equal(SamplerEngineLimits.MaxVoices, rig.Engine.ActiveVoiceCount);
        Assert.Equal(0, rig.Engine.CountVoicesPlaying(30));   // the first note was stolen
        Assert.Equal(1, rig.Engine.CountVoicesPlaying(31));
        Assert.Equal(1, rig.Engine.CountVoicesPlaying(100));
    }

    [Fact]
    public void Note_off_releases_within_the_release_time()
    {
        using var rig = new EngineRig();
        rig.Engine.SetRelease(0.05);
        rig.Engine.NoteOn(60, 1.0);
        rig.Render(1024);
        rig.Engine.NoteOff(60);
        var tail = rig.Render(2400 + 64);         // 50 ms at 48 kHz + one control block
        Assert.True(Peak(tail.AsSpan(0, 256)) > 0.05, "still sounding right after note-off");
        Assert.Equal(0, rig.Engine.ActiveVoiceCount);
        Assert.Equal(0, Peak(rig.Render(256)));
    }

    [Fact]
    public void Voices_hold_a_reference_to_the_shared_sample_until_they_end()
    {
        using var rig = new EngineRig();
        Assert.True(rig.Registry.TryAcquire(0, out var buffer));
        int baseline = buffer!.ReferenceCount; // registry + this test
        rig.Engine.NoteOn(60, 1.0);
        rig.Engine.NoteOn(64, 1.0);
        Assert.Equal(baseline + 2, buffer.ReferenceCount);
        // Replacing the registry entry must not free the data the voices still read.
        rig.Registry.Unregister(0);
        rig.Render(256);
        Assert.False(buffer.IsRetired);
        rig.Engine.Reset();
        Assert.Equal(baseline - 1, buffer.ReferenceCount);
        buffer.Release();
        Assert.True(buffer.IsRetired);
        Assert.Equal(1, rig.Registry.CollectRetired());
        // No sample registered: notes are ignored rather than crashing.
        rig.Engine.NoteOn(60, 1.0);
        Assert.Equal(0, rig.Engine.ActiveVoiceCount);
    }

    [Fact]
    public void Velocity_zero_note_on_acts_as_note_off()
    {
        using var rig = new EngineRig();
        rig.Engine.NoteOn(60, 1.0);
        rig.Render(64);
        rig.Engine.NoteOn(60, 0.0);
        for (int i = 0; i < 6; i++) rig.Render(4000); // 0.5 s, longer than the 0.2 s default release
        Assert.Equal(0, rig.Engine.ActiveVoiceCount);
    }

    [Fact]
    public void Note_storm_renders_without_allocating()
    {
        using var rig = new EngineRig();
        var rng = new Random(5);
        var block = rig.Block(256);
        rig.Engine.NoteOn(60, 1.0);
        rig.Engine.Render(block); // warm-up (JIT, tiering)
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3000; i++)
        {
            int pitch = 36 + (i * 7) % 60;
            rig.Engine.NoteOn(pitch, 0.3 + (i % 5) * 0.1, noteId: i);
            if (i % 3 == 0) rig.Engine.NoteOff(pitch, noteId: i - 2);
            rig.Engine.SetCutoff(200 + (i % 50) * 300);
            rig.Engine.Render(block);
        }
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(before, after);
        foreach (var v in rig.Channel(0, 256)) Assert.True(double.IsFinite(v));
    }
}
