using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Framework;
using NPlug.Buffers.Plugin.GainEq;
using NPlug.Buffers.Pools;
using NPlug.Buffers.Tests.Direct;
using Xunit.Abstractions;

namespace NPlug.Buffers.Tests.Framework;

/// <summary>
/// GainEQ's per-block scratch (bypass dry copy, sidechain key, detector) comes from one shared pool: many instances
/// reserve what the concurrently processing ones need, not the sum; a pool that is short renders the same samples in
/// shorter passes; nothing allocates on the processing threads.
/// </summary>
[Collection(nameof(ResidentMemoryCollection))] // runs alone: it measures allocations and uses both cores
public sealed class GainEqPooledScratchTests(ITestOutputHelper output)
{
    private const int MaxBlock = 4096;
    private static readonly uint BandGain = GainEqModel.BandId(1, GainEqModel.BandGain);

    private static ScratchPool<double> NewPool(bool reserve, int concurrency = 2) =>
        new(new ScratchPoolOptions { Concurrency = concurrency, ReserveOnRegister = reserve, StartWorker = false, TrimDelay = TimeSpan.Zero });

    /// <summary>A session with every scratch user busy: automation, a bypass fade, the sidechain ducking.</summary>
    private static void Drive(DirectRig rig, int block, int index, bool automate = true)
    {
        // Allocation-free on purpose: the 64-instance test counts the bytes of this thread.
        int frames = block;
        if (automate && index % 5 == 0)
        {
            rig.Changes.AddPoint(BandGain, 0, 0.375);          // −6 dB
            rig.Changes.AddPoint(BandGain, frames - 1, 0.625); // +6 dB
            rig.Changes.AddPoint(GainEqModel.DuckDepth, 0, 0.25); // 12 dB
        }
        if (automate && index % 7 == 3) rig.Changes.AddPoint(GainEqModel.Bypass, frames / 3, index % 2);
        long t0 = (long)index * frames;
        for (int c = 0; c < 2; c++)
        {
            var main = rig.Buffers.Input64(0, c);
            var side = rig.Buffers.Input64(1, c);
            for (int i = 0; i < frames; i++)
            {
                long t = t0 + i;
                main[i] = 0.4 * Math.Sin(2 * Math.PI * (200 + 50 * c) * t / 48000.0);
                side[i] = t % 9600 < 4800 ? 0.8 * Math.Sin(2 * Math.PI * 2000 * t / 48000.0) : 0;
            }
        }
        if (rig.Process(frames) != TResult.ResultOk) throw new InvalidOperationException("process failed");
    }

    /// <param name="duckDepth">A static duck depth (normalized) set before activation: ducking with a connected sidechain
    /// is what makes a block lease scratch without any automation.</param>
    private static DirectRig NewRig(ScratchPool<double> pool, double duckDepth = 0) =>
        new(new PluginProcessor(GainEqModel.Instance) { ScratchPool64 = pool }, SymbolicSampleSizes.Sample64, MaxBlock,
            beforeSetup: p =>
            {
                p.ActivateBus(NPlug.Buffers.Interop.Api.MediaType.Audio, NPlug.Buffers.Buses.BusDirection.Input, 1, true);
                ((PluginProcessor)p).Store.TrySet(GainEqModel.DuckDepth, duckDepth);
            });

    /// <summary>40 blocks of odd sizes from a pool that reserves (or one that starts empty and never grows: no worker).</summary>
    private static List<double[]> RenderSession(bool reserve, bool automate, out ScratchPoolStatistics stats)
    {
        using var pool = NewPool(reserve);
        var blocks = new List<double[]>();
        using (var rig = NewRig(pool, duckDepth: 0.25)) // 12 dB
        {
            for (int b = 0; b < 40; b++)
            {
                int frames = b % 3 == 0 ? 1000 : 256 + 37 * b;
                Drive(rig, frames, b, automate);
                blocks.Add(rig.Output(0, 0, frames));
                blocks.Add(rig.Output(0, 1, frames));
            }
            stats = pool.GetStatistics();
        }
        return blocks;
    }

    [Theory]
    [InlineData(false)] // static settings, ducking on
    [InlineData(true)]  // band-gain ramps, duck-depth steps and bypass crossfades inside the blocks
    public void A_starved_pool_renders_gaineq_identically(bool automate)
    {
        // The fallback (4096 / 64 = 64 frames) is far shorter than the blocks: the chain renders each block in chunks on
        // its own sub-block grid, with the whole block's automation, so nothing moves by a sample or a rounding.
        var pooled = RenderSession(reserve: true, automate, out var pooledStats);
        var starved = RenderSession(reserve: false, automate, out var starvedStats);
        output.WriteLine($"pooled: {pooledStats}\nstarved: {starvedStats}");
        Assert.Equal(0, pooledStats.Misses);
        Assert.Equal(40, starvedStats.Misses);
        Assert.True(pooled.Max(b => b.Max(Math.Abs)) > 0.05);
        for (int i = 0; i < pooled.Count; i++) Assert.Equal(pooled[i], starved[i]); // sample for sample
    }

    [Fact]
    public void A_starved_session_is_not_a_silent_or_dry_one()
    {
        // The identity above could hold trivially if both runs bypassed the chain; the automated session must differ from
        // the static one (the ramps and crossfades are heard) and neither may be silent.
        var automated = RenderSession(reserve: false, automate: true, out _);
        var still = RenderSession(reserve: false, automate: false, out _);
        double difference = 0;
        for (int i = 0; i < automated.Count; i++)
            for (int j = 0; j < automated[i].Length; j++) difference = Math.Max(difference, Math.Abs(automated[i][j] - still[i][j]));
        Assert.True(difference > 0.01, $"automation changes the output (max difference {difference})");
    }

    [Fact]
    public void A_block_that_cannot_crossfade_or_duck_takes_no_lease()
    {
        using var pool = NewPool(reserve: true);
        using var rig = NewRig(pool);
        for (int b = 0; b < 10; b++) Drive(rig, 512, b, automate: false);
        Assert.Equal(0, pool.GetStatistics().Leases); // defaults: no bypass, duck depth 0
        rig.Changes.AddPoint(GainEqModel.Bypass, 0, 1);
        Drive(rig, 512, 10, automate: false);
        Assert.Equal(1, pool.GetStatistics().Leases); // the crossfade needs the dry copy
        var faded = rig.Output(0, 0, 512);
        Assert.True(Math.Abs(faded[511]) > 0.01, "bypassed: the dry input comes through");
        Assert.Equal(pool.GetStatistics().Leases, pool.GetStatistics().Returns);
    }

    [Fact]
    public void Sixty_four_instances_on_two_threads_share_a_reserve_of_the_concurrent_need()
    {
        const int Instances = 64, BlocksPerThread = 10_000, Frames = 512;
        long[] Run(bool shared, out ScratchPoolStatistics stats, out long oneInstance, out long[] allocated)
        {
            using var sharedPool = NewPool(reserve: true);
            var pools = new ScratchPool<double>[Instances];
            for (int i = 0; i < Instances; i++) pools[i] = shared ? sharedPool : NewPool(reserve: true, concurrency: 1);
            var rigs = new DirectRig[Instances];
            for (int i = 0; i < Instances; i++) rigs[i] = NewRig(pools[i]);
            oneInstance = pools[0] == sharedPool ? 0 : pools[0].GetStatistics().BytesReserved;
            var checksums = new long[Instances];
            var bytes = new long[2];
            var counts = new int[Instances];
            // Warm-up (JIT, tiering) on each thread's half, then the measured run: thread t owns instances t, t+2, ...
            var threads = new Thread[2];
            for (int t = 0; t < 2; t++)
            {
                int thread = t;
                threads[t] = new Thread(() =>
                {
                    for (int round = 0; round < 2; round++)
                    {
                        for (int i = thread; i < Instances; i += 2) Drive(rigs[i], Frames, counts[i]++);
                        Thread.Sleep(100);
                    }
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    for (int b = 0; b < BlocksPerThread; b++)
                    {
                        int i = thread + 2 * (b % (Instances / 2));
                        Drive(rigs[i], Frames, counts[i]++);
                        checksums[i] = checksums[i] * 31 + BitConverter.DoubleToInt64Bits(rigs[i].Buffers.Output64(0, 0)[Frames - 1]);
                    }
                    bytes[thread] = GC.GetAllocatedBytesForCurrentThread() - before;
                });
            }
            foreach (var th in threads) th.Start();
            foreach (var th in threads) th.Join();
            stats = sharedPool.GetStatistics();
            if (!shared) stats = stats with { Misses = pools.Sum(p => p.GetStatistics().Misses) };
            allocated = bytes;
            foreach (var rig in rigs) rig.Dispose();
            if (!shared) foreach (var p in pools) p.Dispose();
            return checksums;
        }

        long[] sharedSums = Run(shared: true, out var sharedStats, out _, out long[] sharedBytes);
        long[] privateSums = Run(shared: false, out var privateStats, out long oneInstance, out long[] privateBytes);
        output.WriteLine($"shared: {sharedStats}; one instance's scratch {oneInstance} B; private total {oneInstance * Instances} B");
        output.WriteLine($"bytes on the processing threads: shared {sharedBytes[0]}/{sharedBytes[1]}, private {privateBytes[0]}/{privateBytes[1]}");

        Assert.Equal(privateSums, sharedSums); // identical output per instance
        Assert.True(oneInstance > 0);
        Assert.True(sharedStats.BytesReserved <= 3 * oneInstance, $"shared pool reserved {sharedStats.BytesReserved} B, one instance needs {oneInstance} B");
        Assert.Equal(0, sharedStats.Misses);
        Assert.Equal(0, privateStats.Misses);
        Assert.Equal(sharedStats.Leases, sharedStats.Returns);
        Assert.Equal(new long[2], sharedBytes); // 0 managed bytes on both processing threads
        Assert.Equal(new long[2], privateBytes);
    }
}
