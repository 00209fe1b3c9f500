using System.Buffers;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.ObjectPool;
using NPlug.Buffers.Pools;

namespace NPlug.Buffers.Benchmarks.Pools;

/// <summary>
/// The same cycles with two threads hammering one pool at once. Each invocation runs <see cref="OpsPerThread"/> cycles
/// on the benchmark thread and as many on a helper thread; the figure is wall time per operation over both
/// (<c>OperationsPerInvoke = 2 x OpsPerThread</c>), so perfect scaling would halve the one-thread time.
/// </summary>
[MemoryDiagnoser]
public class PoolTwoThreadBenchmarks
{
    private const int OpsPerThread = 20_000;

    private AudioBufferPool<float> _pool = null!;
    private AudioBufferPool<float> _sharedOnlyPool = null!;
    private DefaultObjectPool<float[]> _objectPool = null!;
    private Helper _helper = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pool = new AudioBufferPool<float>(16, 2, 512);
        _sharedOnlyPool = new AudioBufferPool<float>(16, 2, 512, threadCache: false);
        _objectPool = new DefaultObjectPool<float[]>(new FloatArrayPolicy(512), 16);
        _helper = new Helper();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _helper.Dispose();
        _pool.Dispose();
        _sharedOnlyPool.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 2 * OpsPerThread)]
    public void ArrayPoolShared_RentReturn_2Threads() => _helper.RunOnBoth(Work.ArrayPool, this);

    [Benchmark(OperationsPerInvoke = 2 * OpsPerThread)]
    public void AudioBufferPool_AcquireRelease_2Threads() => _helper.RunOnBoth(Work.AudioPool, this);

    /// <summary>Both threads contend on the shared Treiber stack head (no thread cache).</summary>
    [Benchmark(OperationsPerInvoke = 2 * OpsPerThread)]
    public void AudioBufferPool_NoThreadCache_AcquireRelease_2Threads() => _helper.RunOnBoth(Work.SharedOnlyPool, this);

    [Benchmark(OperationsPerInvoke = 2 * OpsPerThread)]
    public void NewFloatArray512_2Threads() => _helper.RunOnBoth(Work.New, this);

    [Benchmark(OperationsPerInvoke = 2 * OpsPerThread)]
    public void ObjectPool_GetReturn_2Threads() => _helper.RunOnBoth(Work.ObjectPool, this);

    private enum Work { ArrayPool, AudioPool, SharedOnlyPool, New, ObjectPool }

    private float Run(Work work)
    {
        float sum = 0;
        switch (work)
        {
            case Work.ArrayPool:
                for (int i = 0; i < OpsPerThread; i++)
                {
                    float[] a = ArrayPool<float>.Shared.Rent(512);
                    sum += a[0];
                    ArrayPool<float>.Shared.Return(a);
                }

                break;
            case Work.AudioPool:
                for (int i = 0; i < OpsPerThread; i++)
                {
                    if (_pool.TryAcquire(out var b))
                    {
                        sum += b.GetChannel(0)[0];
                        b.Release();
                    }
                }

                break;
            case Work.SharedOnlyPool:
                for (int i = 0; i < OpsPerThread; i++)
                {
                    if (_sharedOnlyPool.TryAcquire(out var b))
                    {
                        sum += b.GetChannel(0)[0];
                        b.Release();
                    }
                }

                break;
            case Work.New:
                for (int i = 0; i < OpsPerThread; i++)
                {
                    float[] a = new float[512];
                    sum += a[0];
                }

                break;
            case Work.ObjectPool:
                for (int i = 0; i < OpsPerThread; i++)
                {
                    float[] a = _objectPool.Get();
                    sum += a[0];
                    _objectPool.Return(a);
                }

                break;
        }

        return sum;
    }

    /// <summary>A dedicated second thread, started once, that runs the same work as the caller each invocation.</summary>
    private sealed class Helper : IDisposable
    {
        private readonly Thread _thread;
        private readonly SemaphoreSlim _go = new(0);
        private readonly SemaphoreSlim _done = new(0);
        private PoolTwoThreadBenchmarks? _owner;
        private Work _work;
        private volatile bool _stop;

        public Helper()
        {
            _thread = new Thread(Loop) { IsBackground = true, Name = "bench-helper" };
            _thread.Start();
        }

        public void RunOnBoth(Work work, PoolTwoThreadBenchmarks owner)
        {
            _work = work;
            _owner = owner;
            _go.Release();
            owner.Run(work);
            _done.Wait();
        }

        public void Dispose()
        {
            _stop = true;
            _go.Release();
            _thread.Join();
        }

        private void Loop()
        {
            while (true)
            {
                _go.Wait();
                if (_stop) return;
                _owner!.Run(_work);
                _done.Release();
            }
        }
    }
}
