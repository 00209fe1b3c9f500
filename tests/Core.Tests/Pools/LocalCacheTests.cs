using NPlug.Buffers.Pools;

namespace NPlug.Buffers.Tests.Pools;

public sealed class LocalCacheTests
{
    [Fact]
    public void AcquireRelease_ThroughLocalCache_NeverAllocates_AndNeverTouchesTheSharedList()
    {
        using var pool = new AudioBufferPool<float>(4, 2, 64);
        using var cache = pool.CreateLocalCache();
        float sum = 0;
        for (int i = 0; i < 100; i++) sum += Cycle(cache); // warm-up: JIT/tiering and the first park

        int sharedBefore = pool.Available;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) sum += Cycle(cache);
        long after = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(before, after);
        Assert.Equal(sharedBefore, pool.Available); // every cycle was served by the parked slot
        Assert.Equal(1, cache.Count);
        Assert.Equal(0f, sum);
        var s = pool.GetStatistics();
        Assert.Equal(10_100, s.TotalAcquires);
        Assert.Equal(10_100, s.TotalReleases);
        Assert.Equal(0, s.ThreadCached); // the thread cache was bypassed
    }

    private static float Cycle(AudioBufferPool<float>.LocalCache cache)
    {
        if (!cache.TryAcquire(out var b)) return float.NaN;
        float v = b[1][63];
        cache.Release(b);
        return v;
    }

    [Fact]
    public void Statistics_Balance_WithParkedAndOverflowingSlots()
    {
        using var pool = new AudioBufferPool<float>(8, 1, 16, threadCache: false);
        using var cache = pool.CreateLocalCache(capacity: 3);
        var held = new PooledAudioBuffer<float>[5];
        for (int i = 0; i < 5; i++) Assert.True(cache.TryAcquire(out held[i]));
        Assert.Equal(3, pool.Available);
        foreach (var h in held) Assert.True(cache.Release(h));

        // Three parked in the cache, two overflowed to the shared list.
        Assert.Equal(3, cache.Count);
        Assert.Equal(5, pool.Available);
        var s = pool.GetStatistics();
        Assert.Equal(8, s.Capacity);
        Assert.Equal(8, s.Available);
        Assert.Equal(0, s.InUse);
        Assert.Equal(3, s.LocalCached);
        Assert.Equal(0, s.ThreadCached);
        Assert.Equal(5, s.TotalAcquires);
        Assert.Equal(5, s.TotalReleases);

        // The next two acquires come from the cache, last parked first.
        Assert.True(cache.TryAcquire(out var a));
        Assert.True(cache.TryAcquire(out var b));
        Assert.Equal(held[2].SlotIndex, a.SlotIndex); // the first three releases parked, the last two overflowed
        Assert.Equal(held[1].SlotIndex, b.SlotIndex);
        Assert.Equal(5, pool.Available);
        s = pool.GetStatistics();
        Assert.Equal(2, s.InUse);
        Assert.Equal(6, s.Available);
        Assert.Equal(1, s.LocalCached);
        Assert.Equal(7, s.TotalAcquires);
        Assert.Equal(5, s.TotalReleases);
        Assert.Equal(s.Capacity, s.Available + s.InUse);
        Assert.Equal(s.InUse, s.TotalAcquires - s.TotalReleases);

        // Double release through the cache is refused like through the handle.
        Assert.True(cache.Release(a));
        Assert.False(cache.Release(a));
        Assert.True(b.Release()); // the handle's own path works on cache-issued buffers too
        s = pool.GetStatistics();
        Assert.Equal(1, s.RejectedReleases);
        Assert.Equal(0, s.InUse);
        Assert.Equal(7, s.TotalReleases);
        Assert.Equal(8, s.Available);
    }

    [Fact]
    public void FlushAndDispose_ReturnParkedSlotsToTheSharedList()
    {
        using var pool = new AudioBufferPool<float>(2, 1, 16, threadCache: false);
        var cache = pool.CreateLocalCache();
        Assert.True(cache.TryAcquire(out var a));
        Assert.True(cache.TryAcquire(out var b));
        cache.Release(a);
        cache.Release(b);
        Assert.Equal(0, pool.Available);
        Assert.False(pool.TryAcquire(out _)); // reserved for the cache

        cache.Flush();
        Assert.Equal(0, cache.Count);
        Assert.Equal(2, pool.Available);
        Assert.Equal(0, pool.GetStatistics().LocalCached);

        Assert.True(cache.TryAcquire(out a));
        cache.Release(a);
        Assert.Equal(1, pool.GetStatistics().LocalCached);
        cache.Dispose();
        Assert.Equal(2, pool.Available);
        Assert.Equal(0, pool.GetStatistics().LocalCached);

        // After Dispose the cache passes straight through: nothing is parked any more.
        Assert.True(cache.TryAcquire(out a));
        Assert.True(cache.Release(a));
        Assert.Equal(0, cache.Count);
        Assert.Equal(2, pool.Available);
        var s = pool.GetStatistics();
        Assert.Equal(2, s.Available);
        Assert.Equal(s.TotalAcquires, s.TotalReleases);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BufferHandedToAnotherThread_ReturnsExactlyOnce(bool otherThreadReleasesLast)
    {
        using var pool = new AudioBufferPool<float>(2, 1, 16, threadCache: false);
        using var cache = pool.CreateLocalCache();
        Assert.True(cache.TryAcquire(out var buffer));
        Assert.True(buffer.AddRef()); // the second reference travels to the other thread
        Assert.Equal(2, buffer.ReferenceCount);
        var handedOver = buffer;

        if (otherThreadReleasesLast)
        {
            Assert.True(cache.Release(buffer)); // not the sole holder: a plain decrement, nothing parked
            Assert.Equal(0, cache.Count);
            Assert.Equal(1, buffer.ReferenceCount);
            bool released = false;
            RunOnOtherThread(() => released = handedOver.Release());
            Assert.True(released);
            Assert.Equal(0, cache.Count);
            Assert.Equal(2, pool.Available); // the other thread pushed it to the shared list
        }
        else
        {
            bool released = false;
            RunOnOtherThread(() => released = handedOver.Release());
            Assert.True(released);
            Assert.Equal(1, buffer.ReferenceCount);
            Assert.True(cache.Release(buffer)); // now the sole holder: parked
            Assert.Equal(1, cache.Count);
            Assert.Equal(1, pool.Available);
        }

        Assert.Equal(0, buffer.ReferenceCount);
        Assert.False(cache.Release(buffer));
        Assert.False(handedOver.Release());
        var s = pool.GetStatistics();
        Assert.Equal(1, s.TotalAcquires);
        Assert.Equal(1, s.TotalReleases);
        Assert.Equal(0, s.InUse);
        Assert.Equal(2, s.Available);
        Assert.Equal(2, s.RejectedReleases);

        cache.Flush();
        Assert.Equal(2, pool.Available);
        // Exactly once: both slots can be acquired once more, and no third.
        Assert.True(pool.TryAcquire(out var x));
        Assert.True(pool.TryAcquire(out var y));
        Assert.NotEqual(x.SlotIndex, y.SlotIndex);
        Assert.False(pool.TryAcquire(out _));
    }

    [Fact]
    public void Exhaustion_CountsMisses_AndParkedSlotsServeOnlyTheirCache()
    {
        using var pool = new AudioBufferPool<float>(2, 1, 16, threadCache: false);
        using var cache = pool.CreateLocalCache();
        Assert.True(cache.TryAcquire(out var a));
        Assert.True(cache.TryAcquire(out var b));
        Assert.False(cache.TryAcquire(out var none));
        Assert.False(none.IsValid);
        Assert.Equal(1, pool.GetStatistics().Misses);

        cache.Release(a);
        cache.Release(b);
        bool otherGot = true;
        RunOnOtherThread(() => otherGot = pool.TryAcquire(out _));
        Assert.False(otherGot);
        Assert.Equal(2, pool.GetStatistics().Misses);

        Assert.True(cache.TryAcquire(out a));
        Assert.True(cache.TryAcquire(out b));
        Assert.False(cache.TryAcquire(out _));
        var s = pool.GetStatistics();
        Assert.Equal(3, s.Misses);
        Assert.Equal(2, s.InUse);
        Assert.Equal(0, s.Available);
        a.Release();
        b.Release();
    }

    [Fact]
    public void BuffersOfAnotherPool_TakeTheirOwnPath()
    {
        using var pool = new AudioBufferPool<float>(2, 1, 16, threadCache: false);
        using var other = new AudioBufferPool<float>(2, 1, 16, threadCache: false);
        using var cache = pool.CreateLocalCache();
        Assert.True(other.TryAcquire(out var foreign));
        Assert.True(cache.Release(foreign));
        Assert.Equal(0, cache.Count);
        Assert.Equal(2, other.Available);
        Assert.False(cache.Release(default));
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.CreateLocalCache(0));
    }

    private static void RunOnOtherThread(Action action)
    {
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try { action(); }
            catch (Exception e) { error = e; }
        });
        thread.Start();
        thread.Join();
        if (error != null) throw new Xunit.Sdk.XunitException("other thread failed: " + error);
    }
}
