using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Framework;
using NPlug.Buffers.Plugin.GainEq;
using NPlug.Buffers.Pools;
using NPlug.Buffers.Tests.Direct;
using Xunit.Abstractions;

namespace NPlug.Buffers.Tests.Framework;

/// <summary>
/// 64 GainEQ instances share one scratch pool while two threads process them round-robin, a third deactivates and
/// reactivates instances (never one that is processing, as hosts guarantee), and a fourth does what a UI does:
/// controller parameter changes, processor state loads and their controller mirror. Owner tags are on: no buffer may
/// have two holders, none may be lost.
/// </summary>
[Collection(nameof(ResidentMemoryCollection))] // runs alone: it uses both cores
public sealed class PooledScratchStressTests(ITestOutputHelper output)
{
    private const int Instances = 64, Frames = 256, TotalOperations = 1_000_000;
    private const int Idle = 0, Busy = 1;

    [Fact]
    public void Sixty_four_instances_under_activation_parameter_and_state_traffic_keep_the_pool_consistent()
    {
        using var pool = new ScratchPool<double>(new ScratchPoolOptions { Concurrency = 2, TrackOwners = true, StartWorker = true, TrimDelay = TimeSpan.Zero });
        var rigs = new DirectRig[Instances];
        var controllers = new PluginController[Instances];
        var state = new int[Instances];
        for (int i = 0; i < Instances; i++)
        {
            rigs[i] = new DirectRig(new PluginProcessor(GainEqModel.Instance) { ScratchPool64 = pool }, SymbolicSampleSizes.Sample64, 4096,
                beforeSetup: p => p.ActivateBus(NPlug.Buffers.Interop.Api.MediaType.Audio, NPlug.Buffers.Buses.BusDirection.Input, 1, true));
            controllers[i] = new PluginController(GainEqModel.Instance);
            Assert.Equal(TResult.ResultOk, controllers[i].Initialize());
            for (int c = 0; c < 2; c++)
                for (int f = 0; f < Frames; f++)
                {
                    rigs[i].Buffers.Input64(0, c)[f] = 0.3 * Math.Sin(f * 0.05 * (c + 1));
                    rigs[i].Buffers.Input64(1, c)[f] = 0.5 * Math.Sin(f * 0.3);
                }
        }
        byte[] preset = rigs[0].GetState();

        long operations = 0, processCalls = 0, toggles = 0, uiCalls = 0, failures = 0, nonFinite = 0;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        bool Claim(int i) => Interlocked.CompareExchange(ref state[i], Busy, Idle) == Idle;
        void Release(int i) => Volatile.Write(ref state[i], Idle);

        void Processing(int thread)
        {
            var rng = new Random(thread);
            int k = 0;
            while (Interlocked.Read(ref operations) < TotalOperations)
            {
                int i = thread + 2 * (k++ % (Instances / 2));
                if (!Claim(i)) continue;
                try
                {
                    var rig = rigs[i];
                    if (rng.Next(4) == 0) rig.Changes.AddPoint(GainEqModel.BandId(1, GainEqModel.BandGain), rng.Next(Frames), rng.NextDouble());
                    if (rng.Next(16) == 0) rig.Changes.AddPoint(GainEqModel.Bypass, rng.Next(Frames), rng.Next(2));
                    if (rig.Process(Frames) != TResult.ResultOk) Interlocked.Increment(ref failures);
                    if (!double.IsFinite(rig.Buffers.Output64(0, 0)[Frames - 1])) Interlocked.Increment(ref nonFinite);
                    Interlocked.Increment(ref processCalls);
                }
                finally { Release(i); }
                Interlocked.Increment(ref operations);
            }
        }

        void Activation()
        {
            var rng = new Random(7);
            while (Interlocked.Read(ref operations) < TotalOperations)
            {
                int i = rng.Next(Instances);
                if (!Claim(i)) continue;
                try
                {
                    var p = rigs[i].Processor;
                    p.SetProcessing(false);
                    p.SetActive(false);
                    if (p.SetActive(true) != TResult.ResultOk || p.SetProcessing(true) != TResult.ResultOk) Interlocked.Increment(ref failures);
                    Interlocked.Increment(ref toggles);
                }
                finally { Release(i); }
                Interlocked.Increment(ref operations);
                Thread.Sleep(1);
            }
        }

        void Ui()
        {
            var rng = new Random(9);
            var parameters = GainEqModel.Instance.Parameters;
            while (Interlocked.Read(ref operations) < TotalOperations)
            {
                int i = rng.Next(Instances);
                var controller = controllers[i];
                switch (rng.Next(8))
                {
                    case 0:
                        // A preset load may arrive while the instance processes: the store and its generation carry it over.
                        if (rigs[i].Processor.SetState(new MemoryStream(preset)) != TResult.ResultOk) Interlocked.Increment(ref failures);
                        break;
                    case 1:
                        if (controller.SetComponentState(new MemoryStream(preset)) != TResult.ResultOk) Interlocked.Increment(ref failures);
                        break;
                    default:
                        var p = parameters[rng.Next(parameters.Count)];
                        if (!p.IsReadOnly && controller.SetParamNormalized(p.Id, rng.NextDouble()) != TResult.ResultOk) Interlocked.Increment(ref failures);
                        break;
                }
                Interlocked.Increment(ref uiCalls);
                Interlocked.Increment(ref operations);
            }
        }

        var threads = new[]
        {
            new Thread(() => Guard(() => Processing(0))), new Thread(() => Guard(() => Processing(1))),
            new Thread(() => Guard(Activation)), new Thread(() => Guard(Ui)),
        };
        void Guard(Action body)
        {
            try { body(); }
            catch (Exception e) { errors.Enqueue(e.ToString()); Interlocked.Add(ref operations, TotalOperations); }
        }
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();

        foreach (var rig in rigs) rig.Dispose(); // deactivation returns every registration
        var stats = pool.GetStatistics();
        output.WriteLine($"{operations:N0} operations: {processCalls:N0} process calls, {toggles:N0} deactivate/activate, {uiCalls:N0} UI calls");
        output.WriteLine(stats.ToString());

        Assert.Empty(errors);
        Assert.Equal(0, failures);
        Assert.Equal(0, nonFinite);
        Assert.True(operations >= TotalOperations);
        Assert.True(toggles > 0 && processCalls > 0 && uiCalls > 0);
        Assert.Equal(0, stats.OwnerViolations);
        Assert.Equal(0, stats.Rejected);
        Assert.Equal(stats.Leases, stats.Returns);
        Assert.Equal(stats.BuffersAcquired, stats.BuffersReleased);
        Assert.Equal(0, stats.BuffersHeld);
        Assert.Equal(0, stats.Registrations);
    }
}
