using NPlug.Buffers.Tests;
using BenchmarkDotNet.Attributes;
using NPlug.Buffers.Pools;

namespace NPlug.Buffers.Benchmarks.Pools;

/// <summary>
/// 64 instances of GainEQ's scratch shape (<see cref="ScratchReferenceDsp"/>: dry copy, stereo key, detector = 5 channels,
/// 64-bit, maxSamplesPerBlock 4096) processed round-robin, one block each per invocation: private scratch per instance
/// (the baseline, what the chain does today) against leases from one shared <see cref="ScratchPool{T}"/>. The figure is
/// ns per block (<c>OperationsPerInvoke = 64</c>). Bytes reserved are printed by the setup: private 64 x 160 KiB
/// against the pool's 2 x 160 KiB (concurrency 2).
/// </summary>
[MemoryDiagnoser]
public class ScratchRoundRobinBenchmarks
{
    private const int Instances = 64;
    private const int MaxFrames = 4096;

    [Params(256, 4096)]
    public int BlockFrames { get; set; }

    private ScratchReferenceDsp[] _private = null!;
    private ScratchReferenceDsp[] _pooled = null!;
    private ScratchPool<double> _pool = null!;
    private double[] _inL = null!, _inR = null!, _sideL = null!, _sideR = null!, _outL = null!, _outR = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pool = new ScratchPool<double>(new ScratchPoolOptions { Concurrency = 2, StartWorker = false });
        _private = Enumerable.Range(0, Instances).Select(_ => new ScratchReferenceDsp(MaxFrames)).ToArray();
        _pooled = Enumerable.Range(0, Instances).Select(_ => new ScratchReferenceDsp(_pool, MaxFrames)).ToArray();
        _inL = Signal(0.013);
        _inR = Signal(0.021);
        _sideL = Signal(0.002);
        _sideR = Signal(0.005);
        _outL = new double[MaxFrames];
        _outR = new double[MaxFrames];
        ScratchPoolStatistics s = _pool.GetStatistics();
        long privateBytes = (long)Instances * ScratchReferenceDsp.ScratchChannels * MaxFrames * sizeof(double);
        Console.WriteLine($"// scratch bytes reserved: private {privateBytes:N0} B (64 x {privateBytes / Instances:N0}), " +
            $"shared pool {s.BytesReserved:N0} B + fallbacks {s.FallbackBytes:N0} B; ratio {(double)s.BytesReserved / privateBytes:F4}");
    }

    private static double[] Signal(double w) => Enumerable.Range(0, MaxFrames).Select(i => Math.Sin(i * w)).ToArray();

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (ScratchReferenceDsp dsp in _pooled) dsp.Registration!.Dispose();
        _pool.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Instances)]
    public double PrivateScratch_RoundRobin() => Run(_private);

    [Benchmark(OperationsPerInvoke = Instances)]
    public double SharedPool_RoundRobin() => Run(_pooled);

    private double Run(ScratchReferenceDsp[] instances)
    {
        double sum = 0;
        for (int i = 0; i < instances.Length; i++)
        {
            instances[i].Process(_inL, _inR, _sideL, _sideR, _outL, _outR, BlockFrames);
            sum += _outL[BlockFrames - 1];
        }

        return sum;
    }
}
