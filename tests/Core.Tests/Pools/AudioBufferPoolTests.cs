using NPlug.Buffers.Pools;

namespace NPlug.Buffers.Tests.Pools;

public sealed unsafe class AudioBufferPoolTests
{
    [Fact]
    public void Defaults_AreSeed001Sizes_WithAlignedDisjointChannels()
    {
        using var pool = new AudioBufferPool<float>();
        Assert.Equal(16, pool.Capacity);
        Assert.Equal(2, pool.ChannelCount);
        Assert.Equal(512, pool.FrameCount);

        var handles = new PooledAudioBuffer<float>[16];
        var ranges = new List<(nint Start, nint End)>();
        for (int i = 0; i < 16; i++)
        {
            Assert.True(pool.TryAcquire(out handles[i]));
            for (int c = 0; c < 2; c++)
            {
                float* p = handles[i].GetChannelPointer(c);
                Assert.Equal(0, (long)p % 64);
                Assert.Equal(512, handles[i][c].Length);
                ranges.Add(((nint)p, (nint)(p + 512)));
            }
        }

        ranges.Sort();
        for (int i = 1; i < ranges.Count; i++) Assert.True(ranges[i].Start >= ranges[i - 1].End, "channels overlap");
        Assert.Equal(16, handles.Select(h => h.SlotIndex).Distinct().Count());
        foreach (var h in handles) Assert.True(h.Release());
    }

    [Fact]
    public void Exhaustion_ReturnsNone_CountsMisses_AndRecoversAfterRelease()
    {
        using var pool = new AudioBufferPool<float>(4, 1, 8);
        var held = new PooledAudioBuffer<float>[4];
        for (int i = 0; i < 4; i++) Assert.True(pool.TryAcquire(out held[i]));

        for (int i = 0; i < 3; i++)
        {
            Assert.False(pool.TryAcquire(out var none));
            Assert.False(none.IsValid);
            Assert.Equal(0, none.ChannelCount);
            Assert.True(none.GetChannel(0).IsEmpty);
            Assert.False(none.Release());
        }

        var stats = pool.GetStatistics();
        Assert.Equal(3, stats.Misses);
        Assert.Equal(0, stats.Available);
        Assert.Equal(4, stats.InUse);
        Assert.Equal(4, stats.PeakInUse);

        Assert.True(held[2].Release());
        Assert.True(pool.TryAcquire(out var again));
        Assert.Equal(held[2].SlotIndex, again.SlotIndex);
        Assert.True(again.Release());
        foreach (int i in new[] { 0, 1, 3 }) Assert.True(held[i].Release());

        stats = pool.GetStatistics();
        Assert.Equal(4, stats.Available);
        Assert.Equal(0, stats.InUse);
        Assert.Equal(5, stats.TotalAcquires);
        Assert.Equal(5, stats.TotalReleases);
        Assert.Equal(3, stats.Misses);
    }

    [Fact]
    public void ReferenceCounting_ReturnsOnLastRelease_AndRefusesDoubleRelease()
    {
        using var pool = new AudioBufferPool<float>(2, 2, 16);
        Assert.True(pool.TryAcquire(out var a));
        Assert.Equal(1, a.ReferenceCount);
        Assert.True(a.AddRef());
        Assert.True(a.AddRef());
        Assert.Equal(3, a.ReferenceCount);

        Assert.True(a.Release());
        Assert.True(a.Release());
        Assert.Equal(1, pool.GetStatistics().Available);
        Assert.True(a.Release()); // last reference
        Assert.Equal(2, pool.GetStatistics().Available);
        Assert.Equal(0, a.ReferenceCount);

        Assert.False(a.Release()); // double release
        Assert.False(a.AddRef());  // no resurrection
        Assert.Equal(2, pool.GetStatistics().Available);

        // The slot gets a new owner; the stale handle must not be able to take its reference.
        Assert.True(pool.TryAcquire(out var b));
        Assert.True(pool.TryAcquire(out var c));
        var sameSlot = b.SlotIndex == a.SlotIndex ? b : c;
        Assert.Equal(a.SlotIndex, sameSlot.SlotIndex);
        Assert.NotEqual(a.Generation, sameSlot.Generation);
        Assert.False(a.Release());
        Assert.Equal(1, sameSlot.ReferenceCount);
        Assert.Equal(0, pool.GetStatistics().Available);

        var stats = pool.GetStatistics();
        Assert.Equal(3, stats.RejectedReleases); // double release, AddRef after return, stale release
        Assert.True(b.Release());
        Assert.True(c.Release());
        Assert.Equal(2, pool.GetStatistics().Available);
    }

    [Fact]
    public void ClearAndCopies_MatchAnIndependentReference()
    {
        using var pool = new AudioBufferPool<float>(1, 2, 64);
        Assert.True(pool.TryAcquire(out var buf));
        var rng = new Random(7);
        float[][] reference = { new float[64], new float[64] };
        for (int c = 0; c < 2; c++)
            for (int i = 0; i < 64; i++) reference[c][i] = (float)(rng.NextDouble() * 2 - 1);

        Assert.Equal(64, buf.CopyFrom(0, reference[0]));
        Assert.Equal(64, buf.CopyFrom(1, reference[1]));
        Assert.Equal(reference[0], buf[0].ToArray());
        Assert.Equal(reference[1], buf[1].ToArray());

        // Oversize source: only FrameCount frames are taken; undersize destination gets what fits.
        var longer = new float[100];
        Array.Fill(longer, 0.5f);
        Assert.Equal(64, buf.CopyFrom(0, longer));
        var shorter = new float[10];
        Assert.Equal(10, buf.CopyTo(1, shorter));
        Assert.Equal(reference[1].AsSpan(0, 10).ToArray(), shorter);

        buf.Clear();
        Assert.All(buf[0].ToArray(), x => Assert.Equal(0f, x));
        Assert.All(buf[1].ToArray(), x => Assert.Equal(0f, x));
        Assert.True(buf.Release());
    }

    [Fact]
    public void BlockCopies_HandleChannelAndFrameMismatch_AndNullChannels()
    {
        using var pool = new AudioBufferPool<double>(1, 2, 32);
        Assert.True(pool.TryAcquire(out var buf));
        buf.Clear();

        double[] left = Enumerable.Range(0, 48).Select(i => Math.Sin(i * 0.1)).ToArray();
        double[] right = Enumerable.Range(0, 48).Select(i => Math.Cos(i * 0.1)).ToArray();
        double[] third = new double[48];
        fixed (double* l = left, r = right, t = third)
        {
            double** channels = stackalloc double*[3] { l, r, t };
            var block = new AudioBlock<double>(channels, 3, 48);
            // 3 channels x 48 frames into 2 x 32: the overlap is copied.
            Assert.Equal(32, buf.CopyFrom(block));
            Assert.Equal(left.AsSpan(0, 32).ToArray(), buf[0].ToArray());
            Assert.Equal(right.AsSpan(0, 32).ToArray(), buf[1].ToArray());

            // A null output channel is skipped, not written through.
            double[] outLeft = new double[32];
            fixed (double* o = outLeft)
            {
                double** outs = stackalloc double*[2] { o, null };
                Assert.Equal(32, buf.CopyTo(new AudioBlock<double>(outs, 2, 32)));
            }

            Assert.Equal(left.AsSpan(0, 32).ToArray(), outLeft);

            // Through the pool's own planar view.
            var view = buf.AsBlock();
            Assert.Equal(2, view.ChannelCount);
            Assert.Equal(32, view.FrameCount);
            Assert.Equal(right[5], view[1][5]);
        }

        Assert.True(buf.Release());
    }

    [Fact]
    public void AcquireUseRelease_AllocatesNothing()
    {
        using var pool = new AudioBufferPool<float>(16, 2, 512);
        float[] input = new float[512];
        float[] output = new float[512];
        Cycle(pool, input, output); // warm up (JIT, tiering)

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) Cycle(pool, input, output);
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(before, after);

        // Misses allocate nothing either.
        var held = new PooledAudioBuffer<float>[16];
        for (int i = 0; i < 16; i++) Assert.True(pool.TryAcquire(out held[i]));
        pool.TryAcquire(out _);
        before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) pool.TryAcquire(out _);
        after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(before, after);
        foreach (var h in held) h.Release();

        static void Cycle(AudioBufferPool<float> pool, float[] input, float[] output)
        {
            if (!pool.TryAcquire(out var b)) throw new InvalidOperationException();
            b.AddRef();
            b.CopyFrom(0, input);
            b.CopyTo(0, output);
            b.Clear();
            b.Release();
            b.Release();
        }
    }

    [Fact]
    public void Fixed_NeverGrows()
    {
        using var pool = new AudioBufferPool<float>(4, 1, 8);
        Assert.Equal(4, pool.MaxCapacity);
        Assert.Equal(4, pool.EnsureCapacity(100));
        for (int i = 0; i < 4; i++) pool.TryAcquire(out _);
        Assert.False(pool.TryAcquire(out _));
        Assert.Equal(0, pool.Maintain());
        Assert.Equal(4, pool.Capacity);
    }

    [Fact]
    public void Linear_GrowsOnlyInMaintenance_AndExistingBuffersDoNotMove()
    {
        using var pool = new AudioBufferPool<float>(4, 2, 16, PoolGrowthPolicy.Linear(3, 9));
        var held = new PooledAudioBuffer<float>[4];
        var pointers = new nint[4];
        for (int i = 0; i < 4; i++)
        {
            Assert.True(pool.TryAcquire(out held[i]));
            held[i][0].Fill(i + 1);
            pointers[i] = (nint)held[i].GetChannelPointer(0);
        }

        Assert.False(pool.TryAcquire(out _)); // acquire never grows
        Assert.Equal(4, pool.Capacity);

        Assert.Equal(3, pool.Maintain());
        Assert.Equal(7, pool.Capacity);
        Assert.Equal(0, pool.Maintain()); // no pressure since the last call
        for (int i = 0; i < 3; i++) Assert.True(pool.TryAcquire(out _));
        Assert.Equal(2, pool.Maintain()); // empty again: one step, clamped to the maximum of 9
        Assert.Equal(9, pool.Capacity);
        Assert.False(pool.TryAcquire(out _) && pool.TryAcquire(out _) && pool.TryAcquire(out _));
        Assert.Equal(0, pool.Maintain());

        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(pointers[i], (nint)held[i].GetChannelPointer(0));
            Assert.All(held[i][0].ToArray(), x => Assert.Equal(i + 1, x));
        }

        var stats = pool.GetStatistics();
        Assert.Equal(9, stats.Capacity);
        Assert.Equal(9, stats.InUse);
        Assert.Equal(0, stats.Available);
    }

    [Fact]
    public void Exponential_Doubles_AndEnsureCapacityClampsToMaximum()
    {
        using var pool = new AudioBufferPool<double>(4, 1, 8, PoolGrowthPolicy.Exponential(20));
        for (int i = 0; i < 4; i++) pool.TryAcquire(out _);
        Assert.Equal(4, pool.Maintain());
        Assert.Equal(8, pool.Capacity);
        for (int i = 0; i < 4; i++) Assert.True(pool.TryAcquire(out _));
        Assert.Equal(8, pool.Maintain()); // no miss, but no free buffer left
        Assert.Equal(16, pool.Capacity);
        Assert.Equal(20, pool.EnsureCapacity(1000));
        Assert.Equal(12, pool.Available);
        var s = pool.GetStatistics();
        Assert.Equal(20, s.Capacity);
        Assert.Equal(8, s.InUse);
        Assert.Equal(8, s.PeakInUse);
    }

    [Fact]
    public void BadArguments_AreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioBufferPool<float>(0, 2, 512));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioBufferPool<float>(16, 0, 512));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioBufferPool<float>(16, 2, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioBufferPool<float>(70_000, 1, 1));
        Assert.Throws<NotSupportedException>(() => new AudioBufferPool<int>(1, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PoolGrowthPolicy.Linear(0, 10));
        using var pool = new AudioBufferPool<float>(1, 2, 4);
        Assert.True(pool.TryAcquire(out var b));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.GetChannel(2));
        b.Release();
    }

    [Fact]
    public void Dispose_MakesThePoolEmpty_AndStaleHandlesInert()
    {
        var pool = new AudioBufferPool<float>(2, 1, 8);
        Assert.True(pool.TryAcquire(out var b));
        Assert.True(b.Release());
        pool.Dispose();
        Assert.False(pool.TryAcquire(out _));
        Assert.False(b.Release());
        Assert.False(b.AddRef());
        pool.Dispose(); // idempotent
    }
}

public sealed class AudioBufferPoolAbaTests
{
    [Fact]
    public void StalePop_AfterAbaInterleaving_FailsItsCas_AndNoSlotIsLost()
    {
        // The shared free list is what is under test, so releases must go straight back to it.
        using var pool = new AudioBufferPool<float>(3, 1, 8, threadCache: false);

        // "Thread A" reads the head (top = slot 0, whose next is slot 1) and is preempted before its CAS.
        long stale = pool.ReadFreeListHead();

        // Meanwhile others take all three and return them so that slot 0 is on top again with the same free count,
        // but its next is now slot 2.
        Assert.True(pool.TryAcquire(out var a));
        Assert.True(pool.TryAcquire(out var b));
        Assert.True(pool.TryAcquire(out var c));
        Assert.Equal(new[] { 0, 1, 2 }, new[] { a.SlotIndex, b.SlotIndex, c.SlotIndex });
        b.Release();
        c.Release();
        a.Release();
        long now = pool.ReadFreeListHead();
        Assert.Equal(stale & 0xFFFFFFFF, now & 0xFFFFFFFF); // same top and free count: only the tag differs
        Assert.NotEqual(stale, now);

        // Thread A resumes: its CAS must fail rather than install slot 1 as the new top.
        long head = stale;
        Assert.False(pool.TryPopFrom(ref head, out _));
        Assert.Equal(now, head);

        var slots = new HashSet<int>();
        while (pool.TryAcquire(out var x)) Assert.True(slots.Add(x.SlotIndex));
        Assert.Equal(3, slots.Count);
    }
}
