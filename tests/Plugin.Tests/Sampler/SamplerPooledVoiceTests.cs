using System.Runtime.InteropServices;
using NPlug.Buffers.Plugin.Sampler;
using NPlug.Buffers.Pools;

namespace NPlug.Buffers.Tests.Sampler;

/// <summary>
/// Per-voice render buffers from the module scratch pool: 32 voices render the same, sample for sample, whether every
/// voice got a pooled buffer, none did (the pool was empty: all voices share the registration's fallback), or some did.
/// </summary>
public sealed unsafe class SamplerPooledVoiceTests
{
    private const int Voices = SamplerEngineLimits.MaxVoices;

    private enum Mode { Pooled, Exhausted, Mixed, NoRegistration }

    /// <summary>32 notes (stealing on the last ones), releases, parameter moves; odd block sizes. Returns both channels.</summary>
    private static double[] Play<T>(Mode mode, out ScratchPoolStatistics stats) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        using var registry = new SharedBufferRegistry();
        using SharedSample sample = DefaultSample.AcquireShared(registry);
        using var pool = new ScratchPool<double>(new ScratchPoolOptions
        {
            Concurrency = 1, StartWorker = false, TrackOwners = true, ReserveOnRegister = mode != Mode.Exhausted,
        });
        var engine = new SamplerEngine();
        engine.Prepare(48_000, Voices, pool);
        ScratchRegistration<double>? squatter = null;
        var squatted = new List<ScratchLease<double>>();
        if (mode == Mode.Mixed)
        {
            // Another instance holds 40 of the 64 buffers: 12 voices get pooled buffers, the rest fall back.
            squatter = pool.Register(2, SamplerEngine.ControlBlock, 20);
            for (int s = 0; s < 20; s++) squatted.Add(squatter.Rent(s, 2, SamplerEngine.ControlBlock));
        }

        if (mode == Mode.NoRegistration) engine.VoiceScratch!.Dispose();
        engine.SetSampleSource(sample, DefaultSample.RootNote);
        engine.SetVolume(0.9);
        engine.SetCutoff(5000);
        engine.SetRelease(0.05);
        engine.Reset();

        const int frames = 48_000;
        var output = new double[2 * frames];
        T* left = (T*)NativeMemory.AllocZeroed((nuint)(frames * sizeof(T)));
        T* right = (T*)NativeMemory.AllocZeroed((nuint)(frames * sizeof(T)));
        T** channels = stackalloc T*[2] { left, right };
        int position = 0, block = 0, note = 0;
        while (position < frames)
        {
            int n = Math.Min(frames - position, 37 + (block * 97) % 700);
            // Events between render calls, as the processor applies them.
            if (note < Voices + 4 && block % 2 == 0) engine.NoteOn(36 + (note * 7) % 48, 0.3 + 0.02 * (note % 30), noteId: note++);
            if (block % 5 == 3 && note > 3) engine.NoteOff(0, noteId: note - 3);
            if (block == 40) engine.SetCutoff(800);
            if (block == 60) engine.ReleaseAll();
            engine.Render(new AudioBlock<T>(channels, 2, frames).Slice(position, n));
            position += n;
            block++;
        }

        for (int i = 0; i < frames; i++)
        {
            output[i] = double.CreateTruncating(left[i]);
            output[frames + i] = double.CreateTruncating(right[i]);
        }

        NativeMemory.Free(left);
        NativeMemory.Free(right);
        foreach (var l in squatted) l.Dispose();
        squatter?.Dispose();
        engine.ReleaseScratch();
        stats = pool.GetStatistics();
        return output;
    }

    [Fact]
    public void ThirtyTwoVoices_RenderIdentically_PooledExhaustedMixedOrWithoutRegistration()
    {
        double[] pooled = Play<double>(Mode.Pooled, out var pooledStats);
        double[] exhausted = Play<double>(Mode.Exhausted, out var exhaustedStats);
        double[] mixed = Play<double>(Mode.Mixed, out var mixedStats);
        double[] none = Play<double>(Mode.NoRegistration, out _);

        Assert.True(pooled.Max(Math.Abs) > 0.05); // it plays
        Assert.Equal(pooled, exhausted);
        Assert.Equal(pooled, mixed);
        Assert.Equal(pooled, none);

        Assert.Equal(0, pooledStats.Misses);
        Assert.True(pooledStats.Leases >= Voices, pooledStats.ToString());
        Assert.True(exhaustedStats.Misses >= Voices);     // every note-on fell back
        Assert.True(mixedStats.Misses > 0 && mixedStats.Misses < mixedStats.Leases, mixedStats.ToString());
        foreach (var s in new[] { pooledStats, exhaustedStats, mixedStats })
        {
            Assert.Equal(s.Leases, s.Returns);             // every voice gave its buffer back
            Assert.Equal(s.BuffersAcquired, s.BuffersReleased);
            Assert.Equal(0, s.OwnerViolations);
            Assert.Equal(0, s.Rejected);
        }
    }

    [Fact]
    public void SinglePrecisionOutput_IsIdenticalToo()
    {
        Assert.Equal(Play<float>(Mode.Pooled, out _), Play<float>(Mode.Exhausted, out _));
    }

    [Fact]
    public void VoiceBuffers_AreHeldFromNoteOnToTheVoicesEnd()
    {
        using var registry = new SharedBufferRegistry();
        using SharedSample sample = DefaultSample.AcquireShared(registry);
        using var pool = new ScratchPool<double>(new ScratchPoolOptions { Concurrency = 1, StartWorker = false });
        var engine = new SamplerEngine();
        engine.Prepare(48_000, Voices, pool);
        engine.SetSampleSource(sample, DefaultSample.RootNote);
        engine.SetRelease(0.01);
        engine.NoteOn(60, 1.0, noteId: 1);
        engine.NoteOn(64, 1.0, noteId: 2);
        Assert.Equal(4, pool.GetStatistics().BuffersHeld);
        double* l = stackalloc double[256];
        double* r = stackalloc double[256];
        double** ch = stackalloc double*[2] { l, r };
        engine.NoteOff(60, noteId: 1);
        for (int b = 0; b < 10; b++) engine.Render(new AudioBlock<double>(ch, 2, 256)); // 10 ms release ends voice 1
        Assert.Equal(1, engine.ActiveVoiceCount);
        Assert.Equal(2, pool.GetStatistics().BuffersHeld);
        engine.ReleaseScratch();
        ScratchPoolStatistics s = pool.GetStatistics();
        Assert.Equal(0, s.BuffersHeld);
        Assert.Equal(0, s.Registrations);
    }

    [Fact]
    public void TwoSamplerInstances_ShareOneDefaultSample_InTheModuleRegistry()
    {
        using SharedSample a = DefaultSample.AcquireShared();
        long live = SharedBufferRegistry.Module.LiveBytes;
        using SharedSample b = DefaultSample.AcquireShared();
        Assert.Same(a.Buffer, b.Buffer);
        Assert.Equal(live, SharedBufferRegistry.Module.LiveBytes);
    }
}
