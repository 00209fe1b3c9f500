using NPlug.Buffers.Pools;

namespace NPlug.Buffers.Tests.Pools;

/// <summary>
/// The module scratch pool: reserve policy, leases and fallback, growth by maintenance, shrinking, misuse.
/// Multi-threaded round-robin runs are in <see cref="ScratchPoolRoundRobinTests"/>.
/// </summary>
public sealed class ScratchPoolTests
{
    private const int MaxFrames = 4096;
    private const int OneInstanceBytes = ScratchReferenceDsp.ScratchChannels * MaxFrames * sizeof(double);

    private static ScratchPool<double> NewPool(int concurrency = 2, bool reserve = true, bool trackOwners = true) =>
        new(new ScratchPoolOptions { Concurrency = concurrency, ReserveOnRegister = reserve, StartWorker = false, TrackOwners = trackOwners, TrimDelay = TimeSpan.Zero });

    [Fact]
    public void SixtyFourRegistrations_ReserveFollowsConcurrency_NotTheSum()
    {
        using var pool = NewPool(concurrency: 2);
        var registrations = new List<ScratchRegistration<double>>();
        registrations.Add(pool.Register(ScratchReferenceDsp.ScratchChannels, MaxFrames));
        Assert.Equal(OneInstanceBytes, pool.GetStatistics().BytesReserved); // one instance: its own need

        for (int i = 1; i < 64; i++) registrations.Add(pool.Register(ScratchReferenceDsp.ScratchChannels, MaxFrames));
        ScratchPoolStatistics s = pool.GetStatistics();
        Assert.Equal(64, s.Registrations);
        Assert.Equal(2L * OneInstanceBytes, s.BytesReserved);            // max need x min(64, 2)
        Assert.True(s.BytesReserved <= 3L * OneInstanceBytes);
        Assert.Equal(64L * OneInstanceBytes, s.PrivateBytesEquivalent);   // what private scratch would hold
        Assert.Equal(2, s.ReserveEvents);                                 // registrations 1 and 2 raised it; 3..64 did not

        pool.Concurrency = 4;
        Assert.Equal(4L * OneInstanceBytes, pool.GetStatistics().BytesReserved);
        foreach (var r in registrations) r.Dispose();
    }

    [Fact]
    public void LargestNeedSetsTheReserve_AndSizesShareAPowerOfTwoClass()
    {
        using var pool = NewPool(concurrency: 2);
        using var small = pool.Register(2, 3000);   // class 4096
        using var large = pool.Register(5, 4096);   // class 4096
        using var other = pool.Register(2, 512);    // class 512
        Assert.Equal(4096, small.ClassFrames);
        Assert.Equal(512, other.ClassFrames);
        ScratchPoolStatistics s = pool.GetStatistics();
        Assert.Equal(2, s.Classes);
        Assert.Equal(2 * 5 + 1 * 2, s.BuffersReserved); // 4096-class: max need 5 x min(2, 2); 512-class: 2 x 1
        Assert.Equal((2L * 5 * 4096 + 2 * 512) * sizeof(double), s.BytesReserved);
    }

    [Theory]
    [InlineData(4096, 64)]
    [InlineData(3000, 32)]   // 46 rounded down to the 32-frame control grid
    [InlineData(8192, 128)]
    [InlineData(16, 16)]     // never more than the maximum
    [InlineData(65536, 1024)]
    public void DefaultFallback_IsASixtyFourthOnTheControlGrid(int maxFrames, int expected)
    {
        Assert.Equal(expected, ScratchPool<double>.DefaultFallbackFrames(maxFrames));
        using var pool = NewPool();
        using var r = pool.Register(1, maxFrames);
        Assert.Equal(expected, r.FallbackFrames);
    }

    [Fact]
    public void FirstLeaseOnAFreshThread_AllocatesNothing_NotEvenThreadStaticStorage()
    {
        // A host may call process on a thread that never ran managed code of ours. The pool must not touch a thread
        // static there: the first access allocates the thread's static storage (caught by this test once).
        using var pool = NewPool();
        using var r = pool.Register(2, 256);
        r.Rent(2, 256).Dispose(); // JIT on this thread
        long allocated = -1;
        var thread = new Thread(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            ScratchLease<double> lease = r.Rent(2, 256);
            lease[1][255] = 1;
            lease.Dispose();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        thread.Start();
        thread.Join();
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void PooledLease_GivesTheRequestedFrames_FallbackGivesShorterPasses_AndBothRenderIdentically()
    {
        using var exhausted = NewPool(reserve: false);
        var reference = new ScratchTestInstance(3, MaxFrames, pool: null);
        var missing = new ScratchTestInstance(3, MaxFrames, exhausted);
        using var served = NewPool();
        var pooled = new ScratchTestInstance(3, MaxFrames, served);

        for (int b = 0; b < 40; b++)
        {
            reference.ProcessNext(MaxFrames);
            missing.ProcessNext(MaxFrames);
            pooled.ProcessNext(MaxFrames);
            int n = ScratchTestInstance.BlockLength(3, b, MaxFrames, MaxFrames);
            Assert.Equal(1, pooled.Dsp.LastPasses);
            Assert.Equal((n + 63) / 64, missing.Dsp.LastPasses); // fallback: maxFrames / 64 = 64 frames per pass
        }

        Assert.Equal(reference.Hash, pooled.Hash);
        Assert.Equal(reference.Hash, missing.Hash);
        Assert.Equal(40, exhausted.GetStatistics().Misses);
        Assert.Equal(0, served.GetStatistics().Misses);
        missing.Dsp.Registration!.Dispose();
        pooled.Dsp.Registration!.Dispose();
    }

    [Fact]
    public void ExhaustionOnTheAudioThread_AllocatesNothing_CountsMisses_AndMaintainGrowsThePoolAfterwards()
    {
        using var pool = NewPool(reserve: false);
        var reference = new ScratchTestInstance(5, MaxFrames, pool: null);
        var instance = new ScratchTestInstance(5, MaxFrames, pool);
        Assert.Equal(0, pool.GetStatistics().BuffersReserved);

        instance.ProcessNext(MaxFrames); // JIT warm-up
        reference.ProcessNext(MaxFrames);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int b = 0; b < 200; b++) instance.ProcessNext(MaxFrames);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        for (int b = 0; b < 200; b++) reference.ProcessNext(MaxFrames);

        Assert.Equal(0, allocated);
        Assert.Equal(reference.Hash, instance.Hash);
        ScratchPoolStatistics missed = pool.GetStatistics();
        Assert.Equal(201, missed.Misses);
        Assert.Equal(0, missed.BuffersReserved);

        Assert.Equal(ScratchReferenceDsp.ScratchChannels, pool.Maintain()); // grows to the demand seen at the misses
        ScratchPoolStatistics grown = pool.GetStatistics();
        Assert.Equal(1, grown.GrowthEvents);
        Assert.Equal(ScratchReferenceDsp.ScratchChannels, grown.BuffersReserved);

        for (int b = 0; b < 50; b++)
        {
            instance.ProcessNext(MaxFrames);
            reference.ProcessNext(MaxFrames);
            Assert.Equal(1, instance.Dsp.LastPasses);
        }

        Assert.Equal(reference.Hash, instance.Hash);
        Assert.Equal(201, pool.GetStatistics().Misses); // no new miss
        Assert.Equal(0, pool.Maintain());               // no pressure, nothing to do
        instance.Dsp.Registration!.Dispose();
    }

    [Fact]
    public void Unregistering_ShrinksOffTheAudioThread_OnlyDownToTheNewReserve_AndNeverUnderAHeldLease()
    {
        using var pool = NewPool(concurrency: 2);
        var registrations = Enumerable.Range(0, 64).Select(_ => pool.Register(5, MaxFrames)).ToList();
        Assert.Equal(10, pool.GetStatistics().BuffersReserved);

        // One lease held by the first instance while the others go away.
        ScratchLease<double> held = registrations[0].Rent(5, MaxFrames);
        Assert.True(held.IsPooled);
        foreach (var r in registrations.Skip(1)) r.Dispose();
        Assert.Equal(10, pool.GetStatistics().BuffersReserved); // nothing freed by Dispose itself
        pool.Maintain();
        ScratchPoolStatistics shrunk = pool.GetStatistics();
        Assert.Equal(5, shrunk.BuffersReserved);                 // reserve for one registration
        Assert.Equal(1, shrunk.ShrinkEvents);
        Assert.Equal(5, shrunk.BuffersHeld);
        held[4][MaxFrames - 1] = 42; // still ours, still mapped
        held.Dispose();

        registrations[0].Dispose();
        pool.Maintain();
        ScratchPoolStatistics empty = pool.GetStatistics();
        Assert.Equal(0, empty.BuffersReserved);
        Assert.Equal(2, empty.ShrinkEvents);
        Assert.Equal(empty.Leases, empty.Returns);
        Assert.Equal(empty.BuffersAcquired, empty.BuffersReleased);
        Assert.Equal(0, empty.OwnerViolations);
    }

    [Fact]
    public void TrimIsBlockedByATierInUse_AndRetriedOnTheNextTick()
    {
        using var pool = NewPool(concurrency: 2);
        var a = pool.Register(5, MaxFrames);
        var b = pool.Register(5, MaxFrames); // second tier of 5
        ScratchLease<double> la = a.Rent(5, MaxFrames);
        ScratchLease<double> lb = b.Rent(5, MaxFrames); // takes the second tier
        Assert.True(la.IsPooled && lb.IsPooled);
        a.Dispose(); // gives la back; target is now 5 but b holds the last tier
        pool.Maintain();
        Assert.Equal(10, pool.GetStatistics().BuffersReserved);
        lb.Dispose();
        pool.Maintain();
        Assert.Equal(5, pool.GetStatistics().BuffersReserved);
        b.Dispose();
    }

    [Fact]
    public void LeaseMisuse_IsRefusedAndCounted_NeverCorruptsTheBalance()
    {
        using var pool = NewPool();
        using var r = pool.Register(channels: 2, maxFrames: 256, slots: 2);
        ScratchLease<double> first = r.Rent(0, 2, 256);
        Assert.True(first.IsValid);
        Assert.False(r.Rent(0, 1, 16).IsValid);   // slot busy
        Assert.False(r.Rent(2, 1, 16).IsValid);   // no such slot
        Assert.False(r.Rent(1, 3, 16).IsValid);   // more channels than declared
        Assert.False(r.Rent(1, 1, 0).IsValid);    // no frames
        ScratchLease<double> copy = first;
        first.Dispose();
        copy.Dispose();                           // the same lease again
        ScratchLease<double> again = r.Rent(0, 2, 256);
        copy.Dispose();                           // a stale copy must not return the new lease
        Assert.True(r.IsLeased(0));
        again.Dispose();
        Assert.False(r.IsLeased(0));
        Assert.True(r.Rent(1, 2, 1000).Frames == 256); // frames are capped at maxFrames
        default(ScratchLease<double>).Dispose();  // the empty lease ignores it

        ScratchPoolStatistics s = pool.GetStatistics();
        Assert.Equal(6, s.Rejected);
        Assert.Equal(3, s.Leases);
        Assert.Equal(2, s.Returns); // slot 1 is still out
        Assert.Equal(0, s.OwnerViolations);
    }

    [Fact]
    public void OwnerTags_DetectABufferThatGoesBackTwice()
    {
        // The check itself must be able to fail: release a pooled buffer behind the registration's back, so the slot
        // is free while the lease still claims it, and let another registration take it.
        using var pool = NewPool(concurrency: 1);
        using var a = pool.Register(1, 64);
        using var b = pool.Register(1, 64);
        ScratchLease<double> la = a.Rent(1, 64);
        var tier = a.Class.Tiers[0];
        var handle = typeof(ScratchRegistration<double>)
            .GetField("_handles", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .GetValue(a) as PooledAudioBuffer<double>[];
        Assert.True(handle![0].Release()); // the bug being simulated
        ScratchLease<double> lb = b.Rent(1, 64); // gets the same buffer: a second owner
        Assert.True(lb.IsPooled);
        Assert.True(pool.GetStatistics().OwnerViolations >= 1);
        Assert.NotNull(tier.Owners);
    }

    [Fact]
    public void GrowthFromManySmallMisses_KeepsTheTierCountTheAudioThreadWalksSmall()
    {
        using var pool = NewPool(concurrency: 1, reserve: false);
        using var voices = pool.Register(channels: 1, maxFrames: 32, slots: 3000);
        var held = new ScratchLease<double>[3000];
        for (int round = 0; round < 200; round++)
        {
            // A few more voices each round, all held: small misses every tick.
            int upTo = Math.Min(3000, 15 * (round + 1));
            for (int v = 0; v < upTo; v++)
            {
                if (held[v].IsValid && !held[v].IsPooled) { held[v].Dispose(); held[v] = default; }
                if (!held[v].IsValid) held[v] = voices.Rent(v, 1, 32);
            }

            pool.Maintain();
        }

        Assert.All(held, l => Assert.True(l.IsPooled));
        Assert.True(voices.Class.Tiers.Length <= 40, $"{voices.Class.Tiers.Length} tiers");
        Assert.InRange(pool.GetStatistics().BuffersReserved, 3000, 4096);
        foreach (var l in held) l.Dispose();
    }

    [Fact]
    public void HeldLeases_PerVoice_ShareTheFallbackWhenShort_AndGrowthCoversThemLater()
    {
        using var pool = NewPool(concurrency: 1);
        using var voices = pool.Register(channels: 2, maxFrames: 32, slots: 8, name: "voices");
        Assert.Equal(16, pool.GetStatistics().BuffersReserved);
        using var other = pool.Register(channels: 2, maxFrames: 32, slots: 8);
        var held = new ScratchLease<double>[8];
        for (int v = 0; v < 8; v++) held[v] = voices.Rent(v, 2, 32);
        Assert.All(held, l => Assert.True(l.IsPooled));
        ScratchLease<double> short1 = other.Rent(0, 2, 32); // the class is full: fallback with full frames (32 = maxFrames)
        Assert.False(short1.IsPooled);
        Assert.Equal(32, short1.Frames);
        Assert.Equal(1, pool.GetStatistics().Misses);
        pool.Maintain();
        Assert.Equal(18, pool.GetStatistics().BuffersReserved); // held 16 + the 2 the miss wanted
        short1.Dispose();
        Assert.True(other.Rent(0, 2, 32).IsPooled);
        foreach (var l in held) l.Dispose();
    }
}
