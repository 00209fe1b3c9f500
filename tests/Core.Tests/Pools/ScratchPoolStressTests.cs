using NPlug.Buffers.Pools;
using Xunit.Abstractions;

namespace NPlug.Buffers.Tests.Pools;

/// <summary>
/// The 64 instances under everything at once: 2 processing threads (block scratch plus per-voice leases held across
/// blocks and threads), a thread that deactivates and reactivates instances (unregister + register), a controller
/// thread changing parameters, a thread loading state, and the module worker growing and trimming the pool. 10^6
/// operations in total. Ownership is checked twice: by the pool's owner tags and by content the holders wrote.
/// </summary>
public sealed class ScratchPoolStressTests(ITestOutputHelper output)
{
    private const int Instances = 64;
    private const int MaxFrames = 4096;
    private const int Voices = 8;
    private const int VoiceFrames = 32;

    private sealed class StressInstance
    {
        public readonly ScratchTestInstance Audio;
        public ScratchRegistration<double> VoiceScratch;
        public readonly ScratchLease<double>[] Voices = new ScratchLease<double>[ScratchPoolStressTests.Voices];
        public readonly double[] VoiceTag = new double[ScratchPoolStressTests.Voices];
        public int Generation;
        public long Corruptions;

        public StressInstance(int index, ScratchPool<double> pool)
        {
            Audio = new ScratchTestInstance(index, MaxFrames, pool);
            VoiceScratch = pool.Register(2, VoiceFrames, ScratchPoolStressTests.Voices, name: "voices");
        }

        /// <summary>One block: the DSP with its block lease, then voices start, play (content checked) and end.</summary>
        public void Process(ulong random)
        {
            Audio.ProcessNext(cap: 128);
            for (int v = 0; v < ScratchPoolStressTests.Voices; v++)
            {
                ref ScratchLease<double> lease = ref Voices[v];
                if (lease.IsValid && !Check(lease, VoiceTag[v])) Corruptions++;
            }

            int voice = (int)(random % ScratchPoolStressTests.Voices);
            ref ScratchLease<double> chosen = ref Voices[voice];
            if (chosen.IsValid)
            {
                chosen.Dispose(); // note end
                chosen = default;
            }
            else if (((random >> 8) & 1) == 0)
            {
                chosen = VoiceScratch.Rent(voice, 2, VoiceFrames); // note-on
                // Fallback leases share one buffer between voices, so only pooled ones carry a tag.
                double tag = Audio.Index * 1000.0 + Generation * 10.0 + voice + 0.5;
                VoiceTag[voice] = chosen.IsPooled ? tag : double.NaN;
                if (chosen.IsPooled)
                {
                    chosen[0].Fill(tag);
                    chosen[1].Fill(-tag);
                }
            }
        }

        private static bool Check(ScratchLease<double> lease, double tag)
        {
            if (double.IsNaN(tag)) return true;
            foreach (double x in lease[0]) if (x != tag) return false;
            foreach (double x in lease[1]) if (x != -tag) return false;
            return true;
        }

        /// <summary>Deactivate + activate (the caller holds the instance exclusively).</summary>
        public void Reactivate(ScratchPool<double> pool)
        {
            Audio.Dsp.Registration!.Dispose();
            VoiceScratch.Dispose(); // returns the voices still held
            for (int v = 0; v < ScratchPoolStressTests.Voices; v++) Voices[v] = default;
            Corruptions += Audio.Dsp.Corruptions;
            Audio.Dsp = new ScratchReferenceDsp(pool, MaxFrames);
            VoiceScratch = pool.Register(2, VoiceFrames, ScratchPoolStressTests.Voices, name: "voices");
            Generation++;
        }
    }

    [Fact]
    public void MillionOperations_NoBufferHasTwoHolders_NoneIsLost_StatisticsBalanceExactly()
    {
        const int processingOps = 400_000; // per processing thread
        const int reactivations = 40_000;
        const int parameterChanges = 80_000;
        const int stateLoads = 80_000;     // 2 x 400k + 40k + 80k + 80k = 1,000,000

        using var pool = new ScratchPool<double>(new ScratchPoolOptions { Concurrency = 2, StartWorker = true, TrackOwners = true, TrimDelay = TimeSpan.FromMilliseconds(50) });
        var instances = Enumerable.Range(0, Instances).Select(i => new StressInstance(i, pool)).ToArray();
        long tickets = -1;
        long operations = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();

        void Exclusive(StressInstance instance, Action<StressInstance> action)
        {
            var spin = new SpinWait();
            while (Interlocked.CompareExchange(ref instance.Audio.Busy, 1, 0) != 0) spin.SpinOnce(sleep1Threshold: -1);
            try
            {
                action(instance);
            }
            finally
            {
                Volatile.Write(ref instance.Audio.Busy, 0);
            }

            Interlocked.Increment(ref operations);
        }

        Thread Start(Action body) => new(() =>
        {
            try
            {
                body();
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
        }) { IsBackground = true };

        var threads = new List<Thread>();
        for (int t = 0; t < 2; t++)
        {
            threads.Add(Start(() =>
            {
                for (int b = 0; b < processingOps; b++)
                {
                    long ticket = Interlocked.Increment(ref tickets);
                    ulong random = (ulong)ticket * 0x9E3779B97F4A7C15UL;
                    Exclusive(instances[ticket % Instances], i => i.Process(random >> 16));
                }
            }));
        }

        threads.Add(Start(() =>
        {
            var rng = new Random(1);
            for (int n = 0; n < reactivations; n++) Exclusive(instances[rng.Next(Instances)], i => i.Reactivate(pool));
        }));
        threads.Add(Start(() =>
        {
            var rng = new Random(2);
            for (int n = 0; n < parameterChanges; n++)
            {
                instances[rng.Next(Instances)].Audio.Dsp.Gain = rng.NextDouble() * 2; // controller → audio
                Interlocked.Increment(ref operations);
            }
        }));
        threads.Add(Start(() =>
        {
            var rng = new Random(3);
            for (int n = 0; n < stateLoads; n++)
            {
                double gain = rng.NextDouble();
                Exclusive(instances[rng.Next(Instances)], i =>
                {
                    i.Audio.Dsp.Reset();          // a loaded state resets the DSP ...
                    i.Audio.Dsp.Gain = gain; // ... and sets its parameters
                });
            }
        }));

        foreach (Thread thread in threads) thread.Start();
        foreach (Thread thread in threads) Assert.True(thread.Join(TimeSpan.FromMinutes(5)), "a thread hung");
        Assert.Empty(failures);
        Assert.Equal(1_000_000, Interlocked.Read(ref operations));

        ScratchPoolStatistics running = pool.GetStatistics();
        output.WriteLine($"after 10^6 operations: {running}");
        long corruptions = instances.Sum(i => i.Corruptions + i.Audio.Dsp.Corruptions);
        Assert.Equal(0, corruptions);
        Assert.Equal(0, running.OwnerViolations);
        Assert.Equal(0, running.Rejected);

        // Deactivate everything: every lease comes back, exactly.
        foreach (StressInstance i in instances)
        {
            i.Audio.Dsp.Registration!.Dispose();
            i.VoiceScratch.Dispose();
        }

        ScratchPoolStatistics s = pool.GetStatistics();
        Assert.Equal(0, s.Registrations);
        Assert.Equal(0, s.BuffersHeld);
        Assert.Equal(s.Leases, s.Returns);
        Assert.Equal(s.BuffersAcquired, s.BuffersReleased);
        Assert.Equal(0, s.OwnerViolations);
        Assert.True(s.Leases >= 2 * processingOps, s.ToString());
        Assert.True(s.ReserveEvents > 0);

        // Off the audio thread, the pool shrinks to nothing once nobody is registered.
        for (int tick = 0; tick < 2; tick++)
        {
            Thread.Sleep(60); // the trim delay: the first trim keeps the demand seen in its window, the second frees the rest
            pool.Maintain();
        }

        ScratchPoolStatistics empty = pool.GetStatistics();
        output.WriteLine($"all deactivated, trimmed: {empty}");
        Assert.Equal(0, empty.BuffersReserved);
        Assert.True(empty.ShrinkEvents > 0);
    }
}
