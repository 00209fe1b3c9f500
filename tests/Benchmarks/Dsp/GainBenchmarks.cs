using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NPlug.Buffers.Dsp;
using System.Numerics.Tensors;

namespace NPlug.Buffers.Benchmarks.Dsp;

/// <summary>Gain on a 512-frame block; Mean is ns per sample (OperationsPerInvoke = frames).</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class GainBenchmarks
{
    private const int Frames = 512;
    private float[] _f32 = null!;
    private float[] _f32Out = null!;
    private double[] _f64 = null!;
    private double[] _f64Out = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _f32 = Enumerable.Range(0, Frames).Select(_ => (float)rng.NextDouble()).ToArray();
        _f64 = _f32.Select(v => (double)v).ToArray();
        _f32Out = new float[Frames];
        _f64Out = new double[Frames];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Frames), BenchmarkCategory("Gain f32")]
    public void TensorPrimitives_F32() => TensorPrimitives.Multiply(_f32, 0.999f, _f32Out);

    [Benchmark(OperationsPerInvoke = Frames), BenchmarkCategory("Gain f32")]
    public void ScalarLoop_F32()
    {
        float[] src = _f32, dst = _f32Out;
        for (int i = 0; i < src.Length; i++) dst[i] = src[i] * 0.999f;
    }

    [Benchmark(OperationsPerInvoke = Frames), BenchmarkCategory("Gain f32")]
    public void VectorKernels_F32() => VectorKernels.Gain<float>(_f32, _f32Out, 0.999f);

    [Benchmark(Baseline = true, OperationsPerInvoke = Frames), BenchmarkCategory("Gain f64")]
    public void TensorPrimitives_F64() => TensorPrimitives.Multiply(_f64, 0.999, _f64Out);

    [Benchmark(OperationsPerInvoke = Frames), BenchmarkCategory("Gain f64")]
    public void ScalarLoop_F64()
    {
        double[] src = _f64, dst = _f64Out;
        for (int i = 0; i < src.Length; i++) dst[i] = src[i] * 0.999;
    }

    [Benchmark(OperationsPerInvoke = Frames), BenchmarkCategory("Gain f64")]
    public void VectorKernels_F64() => VectorKernels.Gain<double>(_f64, _f64Out, 0.999);

    [Benchmark(OperationsPerInvoke = Frames), BenchmarkCategory("Gain f32")]
    public void VectorKernels_GainRamp_F32() => VectorKernels.GainRamp<float>(_f32, _f32Out, 0.5f, 0.999f);
}
