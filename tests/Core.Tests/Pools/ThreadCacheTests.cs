using System.Runtime.CompilerServices;
using NPlug.Buffers.Pools;

namespace NPlug.Buffers.Tests.Pools;

public sealed class ThreadCacheTests
{
    [Fact]
    public void ReleasedBuffers_AreReusedByTheSameThread_LastInFirstOut() => RunOnOtherThread(() =>
    {
        using var pool = new AudioBufferPool<float>(8, 1, 16);
        Assert.True(pool.TryAcquire(out var a));
        Assert.True(pool.TryAcquire(out var b));
        int sa = a.SlotIndex, sb = b.SlotIndex;
        a.Release();
        b.Release();
        Assert.Equal(6, pool.Available); // the shared list did not see them
        var s = pool.GetStatistics();
        Assert.Equal(8, s.Available);
        Assert.Equal(2, s.ThreadCached);
        Assert.Equal(0, s.InUse);

        Assert.True(pool.TryAcquire(out var c));
        Assert.True(pool.TryAcquire(out var d));
        Assert.Equal(sb, c.SlotIndex);
        Assert.Equal(sa, d.SlotIndex);
        c.Release();
        d.Release();
        pool.FlushThreadCache();
        Assert.Equal(8, pool.Available);
        Assert.Equal(0, pool.GetStatistics().ThreadCached);
    });

    [Fact]
    public void CachedBuffers_AreInvisibleToOtherThreads_UntilFlushed() => RunOnOtherThread(() =>
    {
        using var pool = new AudioBufferPool<float>(2, 1, 16);
        Assert.True(pool.TryAcquire(out var a));
        Assert.True(pool.TryAcquire(out var b));
        a.Release();
        b.Release();

        bool otherGot = true;
        RunOnOtherThread(() => otherGot = pool.TryAcquire(out _));
        Assert.False(otherGot); // both free buffers sit in this thread's cache
        Assert.Equal(1, pool.GetStatistics().Misses);

        pool.FlushThreadCache();
        int got = 0;
        RunOnOtherThread(() =>
        {
            while (pool.TryAcquire(out var x)) got++;
        });
        Assert.Equal(2, got);
    });

    [Fact]
    public void ThreadThatExitsWithoutFlushing_GivesItsBuffersBackAfterCollection()
    {
        using var pool = new AudioBufferPool<float>(4, 1, 16);
        RunOnOtherThread(() =>
        {
            for (int i = 0; i < 3; i++) pool.TryAcquire(out _);
        });
        // Those three were never released: they are in use, not lost.
        Assert.Equal(3, pool.GetStatistics().InUse);

        using var pool2 = new AudioBufferPool<float>(4, 1, 16);
        RunOnOtherThread(() =>
        {
            var held = new PooledAudioBuffer<float>[4];
            for (int i = 0; i < 4; i++) pool2.TryAcquire(out held[i]);
            foreach (var h in held) h.Release(); // all four go into the exiting thread's cache
        });
        Assert.Equal(0, pool2.Available);

        for (int i = 0; i < 20 && pool2.Available < 4; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.Equal(4, pool2.Available);
    }

    [Fact]
    public void WithoutThreadCache_ReleaseGoesStraightToTheSharedList()
    {
        using var pool = new AudioBufferPool<float>(2, 1, 16, threadCache: false);
        Assert.True(pool.TryAcquire(out var a));
        a.Release();
        Assert.Equal(2, pool.Available);
        bool otherGot = false;
        RunOnOtherThread(() => otherGot = pool.TryAcquire(out _) && pool.TryAcquire(out _));
        Assert.True(otherGot);
    }

    [Fact]
    public void OneThreadUsingTwoPools_KeepsEveryBufferAccounted()
    {
        using var p1 = new AudioBufferPool<float>(4, 1, 8);
        using var p2 = new AudioBufferPool<float>(4, 1, 8);
        for (int round = 0; round < 1000; round++)
        {
            Assert.True(p1.TryAcquire(out var a));
            Assert.True(p2.TryAcquire(out var b));
            Assert.True(a.Release());
            Assert.True(b.Release());
        }

        p1.FlushThreadCache();
        p2.FlushThreadCache();
        Assert.Equal(4, p1.Available);
        Assert.Equal(4, p2.Available);
        Assert.Equal(1000, p1.GetStatistics().TotalReleases);
        Assert.Equal(1000, p2.GetStatistics().TotalReleases);
    }

    [Fact]
    public void DisposedPool_DoesNotKeepTheThreadCache()
    {
        RunOnOtherThread(() =>
        {
            var first = new AudioBufferPool<float>(2, 1, 8);
            first.TryAcquire(out var a);
            a.Release(); // this thread's cache now serves `first`
            first.Dispose();

            using var second = new AudioBufferPool<float>(2, 1, 8);
            second.TryAcquire(out var b);
            b.Release();
            Assert.Equal(1, second.GetStatistics().ThreadCached);
            Assert.True(second.TryAcquire(out var again));
            Assert.Equal(b.SlotIndex, again.SlotIndex);
            again.Release();
            second.FlushThreadCache();
        });
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RunOnOtherThread(Action action)
    {
        // A fresh thread has a fresh cache, whatever earlier tests on the runner's thread left in theirs.
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        var t = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            }
        });
        t.Start();
        t.Join();
        failure?.Throw();
    }
}
