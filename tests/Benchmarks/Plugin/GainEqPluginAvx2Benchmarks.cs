using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace NPlug.Buffers.Benchmarks.Plugin;

/// <summary>
/// The fair baseline for <see cref="GainEqPluginBenchmarks"/>: the bundle is NativeAOT code for x86-64-v3 (AVX2 + FMA,
/// 16 vector registers; Directory.Build.targets), so its cascade runs the 4-lane biquad loop, while on an AVX-512 machine
/// the JIT-run direct rows of that class take the 8-lane loop with 32 registers. This class runs in a process started with
/// AVX-512 switched off for the JIT (<see cref="Avx2Config"/>), so the direct BiquadCascade / GainBiquadChain rows run the
/// same 4-lane code the plugin runs. Same setup, same frames, same methods (each forwards to a
/// <see cref="GainEqPluginBenchmarks"/> instance, so every row pays the same one extra call); plugin ÷ bare cascade at the
/// bundle's instruction set is the quotient of two rows of this class, at the JIT's own (AVX-512) of two rows of the other.
/// </summary>
[Config(typeof(Avx2Config))]
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class GainEqPluginAvx2Benchmarks
{
    /// <summary>
    /// Adds the environment to whatever job runs the class (a mutator: --job short stays short). .NET 8/9 read
    /// DOTNET_EnableAVX512F; .NET 10 reads DOTNET_EnableAVX512 (EnableAVX512F=0 alone leaves the 8-lane path on, checked
    /// by the disassembly and by <see cref="Setup"/>), so both are set.
    /// </summary>
    public sealed class Avx2Config : ManualConfig
    {
        public Avx2Config()
        {
            AddJob(Job.Default
                .WithEnvironmentVariables(
                    new EnvironmentVariable("DOTNET_EnableAVX512", "0"),
                    new EnvironmentVariable("DOTNET_EnableAVX512F", "0"))
                .WithId("AVX2")
                .AsMutator());
        }
    }

    [Params(128, 1024)]
    public int Frames { get; set; }

    private GainEqPluginBenchmarks _inner = null!;

    [GlobalSetup]
    public void Setup()
    {
        // A baseline that silently ran the 8-lane loop would make the plugin look slow for the wrong reason.
        if (Avx512F.IsSupported || Vector512.IsHardwareAccelerated)
            throw new InvalidOperationException("AVX-512 is still enabled for the JIT: the AVX2 baseline would run the 8-lane loop.");
        if (!Avx2.IsSupported || !Fma.IsSupported)
            throw new InvalidOperationException("This machine has no AVX2 + FMA: the bundle (x86-64-v3) cannot run here either.");
        _inner = new GainEqPluginBenchmarks { Frames = Frames };
        _inner.Setup();
    }

    [GlobalCleanup]
    public void Cleanup() => _inner.Cleanup();

    [Benchmark(Baseline = true)]
    public int GainPlugin_f32() => _inner.GainPlugin_f32();

    [Benchmark]
    public int Direct_BiquadCascade_FourBells_f32() => _inner.Direct_BiquadCascade_FourBells_f32();

    [Benchmark]
    public int Direct_BiquadCascade_FourBells_51_f32() => _inner.Direct_BiquadCascade_FourBells_51_f32();

    [Benchmark]
    public int Direct_BiquadCascade_FourBells_f64() => _inner.Direct_BiquadCascade_FourBells_f64();

    [Benchmark]
    public bool Direct_GainBiquadChain_FourBells_f32() => _inner.Direct_GainBiquadChain_FourBells_f32();

    [Benchmark]
    public int GainEq_FourBells_f32() => _inner.GainEq_FourBells_f32();

    [Benchmark]
    public int GainEq_FourBells_f64() => _inner.GainEq_FourBells_f64();

    [Benchmark]
    public int GainEq_FourBells_51_f32() => _inner.GainEq_FourBells_51_f32();

    [Benchmark]
    public int GainEq_Automated_f32() => _inner.GainEq_Automated_f32();

    [Benchmark]
    public int HostQueues_Automated() => _inner.HostQueues_Automated();
}
