using NPlug.Buffers.Pools;

namespace NPlug.Buffers.Tests.Pools;

/// <summary>
/// Many threads on one small pool, so acquire/release races, misses and free-list reuse all happen. Each test is
/// bounded in operations (not time) and checks ownership through an owner tag per slot that the pool knows nothing of.
/// </summary>
public sealed class AudioBufferPoolStressTests
{
    private const int Threads = 4;

    [Theory]
    [InlineData(true)]  // same-thread reuse through each thread's cache, shared list when it runs dry
    [InlineData(false)] // every acquire and release through the shared lock-free stack
    public void ManyThreads_NoSlotHasTwoOwners_NoneIsLost_AndStatisticsBalance(bool threadCache)
    {
        const int capacity = 6;
        const int cyclesPerThread = 300_000; // 4 threads x 300k x (acquire + release) = 2.4M pool operations
        const int frames = 16;
        using var pool = new AudioBufferPool<float>(capacity, 2, frames, threadCache: threadCache);
        int[] owner = new int[capacity];
        long[] acquired = new long[Threads];
        long[] misses = new long[Threads];
        int[] violations = new int[Threads];
        using var start = new Barrier(Threads);

        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            int me = t + 1;
            var held = new PooledAudioBuffer<float>[2];
            int heldCount = 0;
            var rng = new Random(me);
            start.SignalAndWait();
            for (int i = 0; i < cyclesPerThread; i++)
            {
                // Hold up to two buffers at once so slots are released in a different order than acquired.
                if (heldCount < 2 && (heldCount == 0 || rng.Next(2) == 0))
                {
                    if (!pool.TryAcquire(out var b))
                    {
                        misses[t]++;
                        continue;
                    }

                    acquired[t]++;
                    if (Interlocked.CompareExchange(ref owner[b.SlotIndex], me, 0) != 0) violations[t]++;
                    b[0].Fill(me);
                    b[1][frames - 1] = -me;
                    held[heldCount++] = b;
                }
                else
                {
                    int pick = heldCount == 1 ? 0 : rng.Next(2);
                    var b = held[pick];
                    held[pick] = held[--heldCount];
                    // Another owner writing into our buffer would show up here.
                    foreach (float x in b[0]) if (x != me) violations[t]++;
                    if (b[1][frames - 1] != -me) violations[t]++;
                    if (Interlocked.CompareExchange(ref owner[b.SlotIndex], 0, me) != me) violations[t]++;
                    if (!b.Release()) violations[t]++;
                }
            }

            for (int k = 0; k < heldCount; k++)
            {
                if (Interlocked.CompareExchange(ref owner[held[k].SlotIndex], 0, me) != me) violations[t]++;
                if (!held[k].Release()) violations[t]++;
            }

            pool.FlushThreadCache(); // this thread is done with the pool: its cached buffers go back for everyone
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        Assert.Equal(0, violations.Sum());
        var stats = pool.GetStatistics();
        Assert.Equal(capacity, stats.Capacity);
        Assert.Equal(capacity, stats.Available); // none lost
        Assert.Equal(0, stats.ThreadCached);
        Assert.Equal(capacity, pool.Available);  // all back on the shared list
        Assert.Equal(0, stats.InUse);
        Assert.Equal(acquired.Sum(), stats.TotalAcquires);
        Assert.Equal(acquired.Sum(), stats.TotalReleases);
        Assert.Equal(misses.Sum(), stats.Misses);
        Assert.Equal(0, stats.RejectedReleases);
        Assert.InRange(stats.PeakInUse, 2, capacity);
        Assert.True(acquired.Sum() >= 400_000, $"too few acquires: {acquired.Sum()}");

        // Every slot is still on the free list exactly once: draining yields each index once, then "none".
        var seen = new HashSet<int>();
        var drained = new List<PooledAudioBuffer<float>>();
        while (pool.TryAcquire(out var b))
        {
            Assert.True(seen.Add(b.SlotIndex));
            drained.Add(b);
        }

        Assert.Equal(capacity, seen.Count);
        drained.ForEach(b => b.Release());
    }

    [Fact]
    public void RefCountRace_ManyThreadsAddRefAndRelease_BufferReturnsExactlyOnce()
    {
        const int rounds = 200;
        const int pairsPerThread = 1_500; // 200 rounds x 4 threads x 1500 x 2 = 2.4M refcount operations
        // No thread cache: the worker that drops the last reference must hand the slot back to the main thread.
        using var pool = new AudioBufferPool<float>(1, 1, 8, threadCache: false);
        var shared = default(PooledAudioBuffer<float>);
        int failures = 0;
        using var roundStart = new Barrier(Threads + 1);
        using var roundEnd = new Barrier(Threads + 1);

        var workers = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            for (int r = 0; r < rounds; r++)
            {
                roundStart.SignalAndWait();
                var h = shared;
                for (int i = 0; i < pairsPerThread; i++)
                {
                    if (!h.AddRef()) Interlocked.Increment(ref failures);
                    if (!h.Release()) Interlocked.Increment(ref failures);
                }

                // Each worker owns one reference handed out by the main thread; whoever drops the last returns the slot.
                if (!h.Release()) Interlocked.Increment(ref failures);
                roundEnd.SignalAndWait();
            }
        })).ToList();
        workers.ForEach(w => w.Start());

        // Observations are recorded, not asserted, inside the rounds so a failure cannot strand the workers at a barrier.
        int acquireFailures = 0, notReturned = 0, extraReleaseAccepted = 0;
        for (int r = 0; r < rounds; r++)
        {
            if (!pool.TryAcquire(out var b)) acquireFailures++;
            for (int i = 0; i < Threads - 1; i++) b.AddRef(); // one reference per worker
            shared = b;
            roundStart.SignalAndWait();
            roundEnd.SignalAndWait();
            if (b.ReferenceCount != 0 || pool.Available != 1) notReturned++;
            if (b.Release()) extraReleaseAccepted++; // already back: a further release must be refused
        }

        workers.ForEach(w => w.Join());
        Assert.Equal(0, acquireFailures);
        Assert.Equal(0, notReturned);
        Assert.Equal(0, extraReleaseAccepted);
        Assert.Equal(0, failures);
        var stats = pool.GetStatistics();
        Assert.Equal(rounds, stats.TotalAcquires);
        Assert.Equal(rounds, stats.TotalReleases); // returned exactly once per round
        Assert.Equal(1, stats.Available);
        Assert.Equal(rounds, stats.RejectedReleases);
    }

    [Fact]
    public void ReleaseOnAnotherThread_AfterTheBufferWentBack_IsRefused()
    {
        using var pool = new AudioBufferPool<float>(2, 1, 4);
        Assert.True(pool.TryAcquire(out var b));
        Assert.True(b.Release());
        bool secondAccepted = true;
        var other = new Thread(() => secondAccepted = b.Release());
        other.Start();
        other.Join();
        Assert.False(secondAccepted);

        // And after the slot found a new owner, the stale handle cannot take that owner's reference.
        Assert.True(pool.TryAcquire(out var next));
        Assert.Equal(b.SlotIndex, next.SlotIndex); // this thread's cache hands the same slot back
        other = new Thread(() => secondAccepted = b.Release());
        other.Start();
        other.Join();
        Assert.False(secondAccepted);
        Assert.Equal(1, next.ReferenceCount);
        Assert.True(next.Release());
        Assert.Equal(2, pool.GetStatistics().RejectedReleases);
    }

    [Fact]
    public void GrowthWhileOtherThreadsAcquire_KeepsEveryBufferAccounted()
    {
        using var pool = new AudioBufferPool<float>(2, 1, 8, PoolGrowthPolicy.Linear(2, 32));
        int stop = 0;
        long acquired = 0;
        int violations = 0;
        int[] owner = new int[32];
        var workers = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            int me = t + 1;
            long n = 0;
            while (Volatile.Read(ref stop) == 0)
            {
                if (!pool.TryAcquire(out var b)) continue;
                n++;
                if (Interlocked.CompareExchange(ref owner[b.SlotIndex], me, 0) != 0) violations++;
                Interlocked.Exchange(ref owner[b.SlotIndex], 0);
                b.Release();
            }

            pool.FlushThreadCache();
            Interlocked.Add(ref acquired, n);
        })).ToList();
        workers.ForEach(w => w.Start());
        while (pool.Capacity < 32)
        {
            pool.EnsureCapacity(pool.Capacity + 2);
            Thread.Sleep(1);
        }

        Volatile.Write(ref stop, 1);
        workers.ForEach(w => w.Join());
        Assert.Equal(0, violations);
        var s = pool.GetStatistics();
        Assert.Equal(32, s.Capacity);
        Assert.Equal(32, s.Available);
        Assert.Equal(acquired, s.TotalAcquires);
        Assert.Equal(acquired, s.TotalReleases);
    }
}
