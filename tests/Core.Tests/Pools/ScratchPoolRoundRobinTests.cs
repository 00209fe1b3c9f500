using NPlug.Buffers.Pools;

namespace NPlug.Buffers.Tests.Pools;

/// <summary>
/// 64 instances of the reference DSP (GainEQ's scratch shape: 5 channels at maxSamplesPerBlock 4096, 64-bit) processed
/// round-robin from 2 threads, as a host's worker threads would: each thread takes the next ticket, the ticket names an
/// instance, the instance is held exclusively for the block. An instance's output depends only on how many blocks it
/// processed (a fixed share of the tickets), so hashes compare across runs whatever thread ran which block.
/// </summary>
public sealed class ScratchPoolRoundRobinTests
{
    private const int Instances = 64;
    private const int MaxFrames = 4096;
    private const int Threads = 2;
    private const int OneInstanceBytes = ScratchReferenceDsp.ScratchChannels * MaxFrames * sizeof(double);

    internal static ScratchTestInstance[] Create(ScratchPool<double>? pool) =>
        Enumerable.Range(0, Instances).Select(i => new ScratchTestInstance(i, MaxFrames, pool)).ToArray();

    /// <summary>Runs <paramref name="blocksPerThread"/> tickets on each thread; returns bytes each thread allocated after its warm-up.</summary>
    internal static long[] Run(ScratchTestInstance[] instances, int blocksPerThread, int cap, int warmup)
    {
        long next = -1;
        var allocated = new long[Threads];

        Exception? failure = null;
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                long before = 0;
                for (int b = 0; b < blocksPerThread; b++)
                {
                    if (b == warmup) before = GC.GetAllocatedBytesForCurrentThread();
                    long ticket = Interlocked.Increment(ref next);
                    ScratchTestInstance instance = instances[ticket % instances.Length];
                    // The instance may still be on the other thread (it was preempted): spin and yield, never sleep.
                    var spin = new SpinWait();
                    while (Interlocked.CompareExchange(ref instance.Busy, 1, 0) != 0) spin.SpinOnce(sleep1Threshold: -1);
                    instance.ProcessNext(cap);
                    Volatile.Write(ref instance.Busy, 0);
                }

                allocated[t] = GC.GetAllocatedBytesForCurrentThread() - before;

            }
            catch (Exception e)
            {
                failure = e;
            }
        }) { IsBackground = true }).ToArray();
        foreach (Thread thread in threads) thread.Start();
        foreach (Thread thread in threads) thread.Join();
        if (failure != null) throw new InvalidOperationException("processing thread failed", failure);

        return allocated;
    }

    [Fact]
    public void SixtyFourInstances_TwoThreads_TenThousandBlocksEach_ShareTwoInstancesOfScratch_Identically()
    {
        const int blocks = 10_000;
        var reference = Create(pool: null);
        Run(reference, blocks, MaxFrames, warmup: 0);

        using var pool = new ScratchPool<double>(new ScratchPoolOptions { Concurrency = Threads, StartWorker = false, TrackOwners = false });
        var pooled = Create(pool);
        ScratchPoolStatistics reserved = pool.GetStatistics();
        long[] allocated = Run(pooled, blocks, MaxFrames, warmup: 200);
        ScratchPoolStatistics s = pool.GetStatistics();

        Assert.Equal(reserved.BytesReserved, s.BytesReserved);            // nothing grew
        Assert.Equal(2L * OneInstanceBytes, s.BytesReserved);             // 2x one instance (private: 64x)
        Assert.True(s.BytesReserved <= 3L * OneInstanceBytes);
        Assert.Equal(64L * OneInstanceBytes, s.PrivateBytesEquivalent);
        Assert.Equal(0, s.Misses);
        Assert.Equal(2L * blocks, s.Leases);
        Assert.Equal(s.Leases, s.Returns);
        Assert.Equal(s.BuffersAcquired, s.BuffersReleased);
        Assert.Equal(0, s.BuffersHeld);
        Assert.True(s.HighWaterBuffers <= 2 * ScratchReferenceDsp.ScratchChannels);
        Assert.All(allocated, a => Assert.Equal(0, a));
        for (int i = 0; i < Instances; i++)
        {
            Assert.Equal(reference[i].Blocks, pooled[i].Blocks);
            Assert.Equal(reference[i].Hash, pooled[i].Hash);
        }

        foreach (var instance in pooled) instance.Dsp.Registration!.Dispose();
    }

    [Fact]
    public void ForcedExhaustion_OutputIdentical_MissesCounted_WorkerGrowsThePool_NoAllocationOnTheAudioThreads()
    {
        const int blocks = 1_000;
        const int cap = 1024; // shorter blocks: this test runs many phases
        var reference = Create(pool: null);
        using var pool = new ScratchPool<double>(new ScratchPoolOptions
        {
            Concurrency = Threads, ReserveOnRegister = false, StartWorker = true, TrackOwners = true,
        });
        var pooled = Create(pool);
        Assert.Equal(0, pool.GetStatistics().BuffersReserved); // capacity 0 at the start
        Assert.True(ScratchMaintenance.IsRunning);

        long[] allocated = Run(pooled, blocks, cap, warmup: 100);
        Run(reference, blocks, cap, warmup: 0);
        ScratchPoolStatistics first = pool.GetStatistics();
        Assert.True(first.Misses > 0);
        Assert.All(allocated, a => Assert.Equal(0, a));
        for (int i = 0; i < Instances; i++) Assert.Equal(reference[i].Hash, pooled[i].Hash);

        // The worker grows on misses; run phases until one passes without a miss.
        SpinWait.SpinUntil(() => pool.GetStatistics().GrowthEvents > 0, TimeSpan.FromSeconds(10));
        Assert.True(pool.GetStatistics().GrowthEvents > 0);
        bool clean = false;
        for (int phase = 0; phase < 40 && !clean; phase++)
        {
            long missesBefore = pool.GetStatistics().Misses;
            allocated = Run(pooled, 500, cap, warmup: 0); // fresh threads, measured from their first block
            Run(reference, 500, cap, warmup: 0);
            Assert.All(allocated, a => Assert.Equal(0, a));
            clean = pool.GetStatistics().Misses == missesBefore;
            if (!clean) Thread.Sleep(3 * ScratchMaintenance.IntervalMilliseconds);
        }

        ScratchPoolStatistics s = pool.GetStatistics();
        Assert.True(clean, $"misses did not stop: {s}");
        Assert.InRange(s.BuffersReserved, ScratchReferenceDsp.ScratchChannels, 2 * ScratchReferenceDsp.ScratchChannels + Threads);
        Assert.Equal(s.Leases, s.Returns);
        Assert.Equal(s.BuffersAcquired, s.BuffersReleased);
        Assert.Equal(0, s.OwnerViolations);
        for (int i = 0; i < Instances; i++)
        {
            Assert.Equal(reference[i].Blocks, pooled[i].Blocks);
            Assert.Equal(reference[i].Hash, pooled[i].Hash);
        }

        foreach (var instance in pooled) instance.Dsp.Registration!.Dispose();
    }
}
