using NPlug.Buffers.Concurrency;

namespace NPlug.Buffers.Tests.Concurrency;

public sealed class SpscRingTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(5, 8)]
    [InlineData(1024, 1024)]
    [InlineData(1025, 2048)]
    public void Capacity_RoundsUpToPowerOfTwo(int requested, int expected) =>
        Assert.Equal(expected, new SpscRing<int>(requested).Capacity);

    [Fact]
    public void FillsToCapacity_ThenRefuses_AndKeepsFifoOrder()
    {
        var ring = new SpscRing<int>(8);
        for (int i = 0; i < 8; i++) Assert.True(ring.TryPush(i));
        Assert.False(ring.TryPush(99)); // full: the caller counts the drop
        Assert.Equal(8, ring.Count);
        Assert.True(ring.TryPeek(out int first));
        Assert.Equal(0, first);
        for (int i = 0; i < 8; i++)
        {
            Assert.True(ring.TryPop(out int v));
            Assert.Equal(i, v);
        }

        Assert.False(ring.TryPop(out _));
        Assert.True(ring.IsEmpty);

        // Wrap around many times.
        for (int round = 0; round < 100; round++)
        {
            for (int i = 0; i < 5; i++) Assert.True(ring.TryPush(round * 5 + i));
            for (int i = 0; i < 5; i++)
            {
                Assert.True(ring.TryPop(out int v));
                Assert.Equal(round * 5 + i, v);
            }
        }
    }

    [Fact]
    public void PoppedSlots_DoNotKeepObjectsAlive()
    {
        var ring = new SpscRing<object>(4);
        var weak = PushAndPop(ring);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.False(weak.IsAlive);

        static WeakReference PushAndPop(SpscRing<object> ring)
        {
            var o = new object();
            ring.TryPush(o);
            ring.TryPop(out _);
            return new WeakReference(o);
        }
    }

    [Fact]
    public void TwoThreads_BelowCapacity_EveryPushSucceeds_InOrder_NothingLost()
    {
        const long items = 1_000_000;
        var ring = new SpscRing<long>(256);
        long consumed = 0;
        long outOfOrder = 0;
        long refusedBelowCapacity = 0;
        var consumer = new Thread(() =>
        {
            long expected = 0;
            while (expected < items)
            {
                if (!ring.TryPop(out long v)) continue;
                if (v != expected) outOfOrder++;
                expected = v + 1;
                Volatile.Write(ref consumed, expected);
            }
        });
        consumer.Start();
        for (long i = 0; i < items; i++)
        {
            // Stay below capacity by the consumer's own acknowledgement: then a push must never be refused.
            while (i - Volatile.Read(ref consumed) >= ring.Capacity) Thread.SpinWait(1);
            if (!ring.TryPush(i)) refusedBelowCapacity++;
        }

        consumer.Join();
        Assert.Equal(0, refusedBelowCapacity);
        Assert.Equal(0, outOfOrder);
        Assert.Equal(items, Volatile.Read(ref consumed));
        Assert.True(ring.IsEmpty);
    }

    [Fact]
    public void TwoThreads_FullRingRefuses_RetriedItemsStillArriveInOrder()
    {
        const long items = 500_000;
        var ring = new SpscRing<long>(16);
        long received = 0;
        long outOfOrder = 0;
        var consumer = new Thread(() =>
        {
            for (long expected = 0; expected < items;)
            {
                if (!ring.TryPop(out long v)) continue;
                if (v != expected) outOfOrder++;
                expected = v + 1;
                received++;
            }
        });
        consumer.Start();
        for (long i = 0; i < items;)
        {
            if (ring.TryPush(i)) i++;
            // else: full; a real producer would count the drop, here the same item is retried
        }

        consumer.Join();
        Assert.Equal(0, outOfOrder);
        Assert.Equal(items, received);
    }

    [Fact]
    public void TwoThreads_StructPayload_ArrivesWhole()
    {
        const int items = 300_000;
        var ring = new SpscRing<(long Seq, long Check)>(64);
        int bad = 0;
        var consumer = new Thread(() =>
        {
            for (long expected = 0; expected < items;)
            {
                if (!ring.TryPop(out var m)) continue;
                if (m.Seq != expected || m.Check != ~m.Seq) bad++;
                expected++;
            }
        });
        consumer.Start();
        for (long i = 0; i < items;)
        {
            if (ring.TryPush((i, ~i))) i++;
        }

        consumer.Join();
        Assert.Equal(0, bad);
    }

    [Fact]
    public void PushAndPop_AllocateNothing()
    {
        var ring = new SpscRing<(int, double)>(16);
        ring.TryPush((1, 1.0));
        ring.TryPop(out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            ring.TryPush((i, i));
            ring.TryPop(out _);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
