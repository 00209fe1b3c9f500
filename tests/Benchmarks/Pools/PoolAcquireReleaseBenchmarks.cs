using System.Buffers;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.ObjectPool;
using NPlug.Buffers.Pools;

namespace NPlug.Buffers.Benchmarks.Pools;

/// <summary>
/// One acquire + one release (or rent/return, get/return, allocate) of a 512-sample buffer, on one thread.
/// Each invocation runs <see cref="Ops"/> cycles so the per-op figure is not dominated by call overhead.
/// </summary>
[MemoryDiagnoser]
public class PoolAcquireReleaseBenchmarks
{
    private const int Ops = 1_000;

    private AudioBufferPool<float> _pool = null!;
    private AudioBufferPool<float> _sharedOnlyPool = null!;
    private AudioBufferPool<float> _localCachePool = null!;
    private AudioBufferPool<float>.LocalCache _localCache = null!;
    private DefaultObjectPool<float[]> _objectPool = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pool = new AudioBufferPool<float>(16, 2, 512);
        _sharedOnlyPool = new AudioBufferPool<float>(16, 2, 512, threadCache: false);
        _localCachePool = new AudioBufferPool<float>(16, 2, 512);
        _localCache = _localCachePool.CreateLocalCache();
        _objectPool = new DefaultObjectPool<float[]>(new FloatArrayPolicy(512), 16);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pool.Dispose();
        _sharedOnlyPool.Dispose();
        _localCache.Dispose();
        _localCachePool.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops)]
    public float ArrayPoolShared_RentReturn()
    {
        float sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            float[] a = ArrayPool<float>.Shared.Rent(512);
            sum += a[0];
            ArrayPool<float>.Shared.Return(a);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Ops)]
    public float AudioBufferPool_AcquireRelease()
    {
        float sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            if (_pool.TryAcquire(out var b))
            {
                sum += b.GetChannel(0)[0];
                b.Release();
            }
        }

        return sum;
    }

    /// <summary>Acquire and release through a caller-held cache: no atomic instruction, no thread-static lookup.</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public float AudioBufferPool_LocalCache_AcquireRelease()
    {
        float sum = 0;
        AudioBufferPool<float>.LocalCache cache = _localCache;
        for (int i = 0; i < Ops; i++)
        {
            if (cache.TryAcquire(out var b))
            {
                sum += b.GetChannel(0)[0];
                cache.Release(b);
            }
        }

        return sum;
    }

    /// <summary>Every release goes through the shared Treiber stack (CAS pop + CAS push): the cross-thread path.</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public float AudioBufferPool_NoThreadCache_AcquireRelease()
    {
        float sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            if (_sharedOnlyPool.TryAcquire(out var b))
            {
                sum += b.GetChannel(0)[0];
                b.Release();
            }
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Ops)]
    public float NewFloatArray512()
    {
        float sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            float[] a = new float[512];
            sum += a[0];
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Ops)]
    public float ObjectPool_GetReturn()
    {
        float sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            float[] a = _objectPool.Get();
            sum += a[0];
            _objectPool.Return(a);
        }

        return sum;
    }
}

/// <summary>Creates the pooled arrays for <see cref="DefaultObjectPool{T}"/>.</summary>
public sealed class FloatArrayPolicy : IPooledObjectPolicy<float[]>
{
    private readonly int _length;

    public FloatArrayPolicy(int length) => _length = length;

    public float[] Create() => new float[_length];

    public bool Return(float[] obj) => true;
}
