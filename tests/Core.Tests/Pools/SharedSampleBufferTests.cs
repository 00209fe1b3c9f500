using NPlug.Buffers.Pools;

namespace NPlug.Buffers.Tests.Pools;

public sealed unsafe class SharedSampleBufferTests
{
    private static float[] Planar(int channels, int frames, Func<int, int, float> value)
    {
        var data = new float[channels * frames];
        for (int c = 0; c < channels; c++)
            for (int f = 0; f < frames; f++) data[c * frames + f] = value(c, f);
        return data;
    }

    [Fact]
    public void Register_CopiesOnce_AndLookupSharesTheSameMemory()
    {
        using var registry = new SharedBufferRegistry();
        float[] data = Planar(2, 100, (c, f) => c * 1000 + f);
        var buffer = registry.Register(7, data, 2, 100, 48_000);
        Assert.Equal(1, registry.Count);
        Assert.True(registry.Contains(7));
        Assert.False(registry.Contains(8));

        Assert.True(registry.TryAcquire(7, out var a));
        Assert.True(registry.TryAcquire(7, out var b));
        Assert.Same(buffer, a);
        Assert.Same(a, b);
        Assert.Equal(3, buffer.ReferenceCount); // registry + two holders
        Assert.True(a.GetChannelPointer(1) == b.GetChannelPointer(1));
        Assert.Equal(0, (long)a.GetChannelPointer(0) % 64);
        Assert.Equal(0, (long)a.GetChannelPointer(1) % 64);
        Assert.Equal(data.AsSpan(100, 100).ToArray(), a.GetChannel(1).ToArray());
        Assert.False(registry.TryAcquire(8, out _));
        a.Release();
        b.Release();
    }

    [Fact]
    public void Interleaved_IsDeinterleaved()
    {
        using var registry = new SharedBufferRegistry();
        float[] interleaved = { 1, -1, 2, -2, 3, -3 };
        var buffer = registry.RegisterInterleaved(1, interleaved, 2, 3, 44_100);
        Assert.Equal(new float[] { 1, 2, 3 }, buffer.GetChannel(0).ToArray());
        Assert.Equal(new float[] { -1, -2, -3 }, buffer.GetChannel(1).ToArray());
        Assert.Throws<ArgumentException>(() => registry.RegisterInterleaved(2, interleaved, 2, 4, 44_100));
        Assert.False(registry.Contains(2));
    }

    [Fact]
    public void LastReleaseOnAnotherThread_OnlyRetires_AndCollectFreesOnTheCallingThread()
    {
        var registry = new SharedBufferRegistry();
        var buffer = registry.Register(3, new float[2 * 480], 2, 480, 48_000);
        long bytes = registry.LiveBytes;
        Assert.True(bytes >= 2 * 480 * sizeof(float));

        Assert.True(registry.TryAcquire(3, out var held));
        Assert.True(registry.Unregister(3));
        Assert.False(registry.Unregister(3));
        Assert.False(registry.TryAcquire(3, out _));
        Assert.False(buffer.IsRetired);          // a source still plays it
        Assert.Equal(0, registry.CollectRetired());

        var audio = new Thread(() => held.Release()); // last reference dropped on "the audio thread"
        audio.Start();
        audio.Join();
        Assert.True(buffer.IsRetired);
        Assert.False(buffer.IsFreed);            // nothing was freed on that thread
        Assert.Equal(bytes, registry.LiveBytes);
        Assert.False(buffer.TryAddRef());        // no resurrection
        Assert.False(buffer.Release());          // double release refused

        Assert.Equal(1, registry.CollectRetired());
        Assert.True(buffer.IsFreed);
        Assert.Equal(0, registry.LiveBytes);
        Assert.True(buffer.GetChannel(0).IsEmpty);
        Assert.True(buffer.AsBlock().IsEmpty);
        registry.Dispose();
    }

    [Fact]
    public void Replacing_AnId_KeepsOldBufferAliveForItsHolders()
    {
        using var registry = new SharedBufferRegistry();
        var first = registry.Register(5, Planar(1, 10, (_, f) => f), 1, 10, 48_000);
        Assert.True(registry.TryAcquire(5, out var playing));
        var second = registry.Register(5, Planar(1, 10, (_, f) => -f), 1, 10, 48_000);
        Assert.Equal(1, registry.Count);
        Assert.True(registry.TryAcquire(5, out var fresh));
        Assert.Same(second, fresh);
        Assert.Equal(9f, playing.GetChannel(0)[9]);   // old data intact for the source still holding it
        Assert.Equal(-9f, fresh.GetChannel(0)[9]);
        Assert.False(first.IsRetired);
        playing.Release();
        fresh.Release();
        Assert.True(first.IsRetired);
        Assert.Equal(1, registry.CollectRetired());
        Assert.False(second.IsFreed);
    }

    [Fact]
    public void AudioSideOperations_AllocateNothing()
    {
        using var registry = new SharedBufferRegistry();
        for (int id = 0; id < 32; id++) registry.Register(id * 3, new float[64], 1, 64, 48_000);
        var sources = new SharedSampleSource[64];
        float[] left = new float[32];
        float[] right = new float[32];
        Run(); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++) Run();
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());

        void Run()
        {
            for (int i = 0; i < sources.Length; i++)
            {
                if (registry.TryAcquire((i % 32) * 3, out var b))
                {
                    sources[i].Assign(b);
                    b.Release();
                }
            }

            fixed (float* l = left, r = right)
            {
                float** ch = stackalloc float*[2] { l, r };
                var block = new AudioBlock<float>(ch, 2, 32);
                for (int i = 0; i < sources.Length; i++) sources[i].MixInto(block, 0.5f);
            }

            for (int i = 0; i < sources.Length; i++) sources[i].Reset();
        }
    }

    [Fact]
    public void LookupsOnOneThread_WhileAnotherRegistersAndUnregisters_SeeOnlyCompleteBuffers()
    {
        using var registry = new SharedBufferRegistry();
        const int ids = 16;
        const int frames = 256;
        int stop = 0;
        long hits = 0;
        int bad = 0;
        var reader = new Thread(() =>
        {
            var rng = new Random(1);
            while (Volatile.Read(ref stop) == 0)
            {
                int id = rng.Next(ids);
                if (!registry.TryAcquire(id, out var b)) continue;
                hits++;
                // Every buffer of id k is filled with k + generation/1000 before publication; any sample differing
                // from the first means a half-written or freed buffer.
                var ch = b.GetChannel(0);
                if (b.Id != id || ch.Length != frames || (int)ch[0] != id) bad++;
                for (int f = 1; f < ch.Length; f++) if (ch[f] != ch[0]) { bad++; break; }
                if (!b.Release()) bad++;
            }
        });
        reader.Start();
        var rngW = new Random(2);
        for (int gen = 0; gen < 3_000; gen++)
        {
            int id = rngW.Next(ids);
            if (rngW.Next(4) == 0)
            {
                registry.Unregister(id);
            }
            else
            {
                var buf = registry.Allocate(id, 1, frames, 48_000);
                buf.GetWritableChannel(0).Fill(id + (gen % 1000) / 1000f);
                registry.Register(buf);
            }

            if (gen % 50 == 0) registry.CollectRetired();
        }

        Thread.Sleep(20);
        Volatile.Write(ref stop, 1);
        reader.Join();
        Assert.Equal(0, bad);
        Assert.True(hits > 0);

        for (int id = 0; id < ids; id++) registry.Unregister(id);
        registry.CollectRetired();
        Assert.Equal(0, registry.Count);
        Assert.Equal(0, registry.LiveBytes);
        Assert.Equal(registry.RetireQueue.RetiredCount, registry.RetireQueue.FreedCount);
    }

    [Fact]
    public void BadArguments_AreRejected()
    {
        var queue = new SampleRetireQueue();
        Assert.Throws<ArgumentOutOfRangeException>(() => new SharedSampleBuffer(1, 0, 10, 48_000, queue));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SharedSampleBuffer(1, 1, 0, 48_000, queue));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SharedSampleBuffer(1, 1, 10, double.NaN, queue));
        Assert.Throws<ArgumentNullException>(() => new SharedSampleBuffer(1, 1, 10, 48_000, null!));
        using var registry = new SharedBufferRegistry();
        Assert.Throws<ArgumentException>(() => registry.Register(1, new float[5], 2, 3, 48_000));
        Assert.Equal(0, registry.Count);
        Assert.Equal(0, registry.LiveBytes);
        var released = registry.Allocate(9, 1, 4, 48_000);
        released.Release();
        Assert.Throws<ArgumentException>(() => registry.Register(released));
        var source = new SharedSampleSource();
        Assert.False(source.Assign(released));
        Assert.False(source.Assign(null));
        Assert.False(source.IsPlaying);
    }
}
