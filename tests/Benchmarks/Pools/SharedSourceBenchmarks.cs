using BenchmarkDotNet.Attributes;
using NPlug.Buffers.Pools;

namespace NPlug.Buffers.Benchmarks.Pools;

/// <summary>
/// Seed 003's scenario: give 100 sources one 0.3 s stereo 48 kHz float sample. Sharing takes a reference per source;
/// the baseline gives every source its own copy (what seed 003 did before, 2.87 ms for 100 sources there).
/// </summary>
[MemoryDiagnoser]
public class SharedSourceBenchmarks
{
    private const int Sources = 100;
    private const int Channels = 2;
    private const int Frames = 14_400;

    private SharedBufferRegistry _registry = null!;
    private SharedSampleBuffer _sample = null!;
    private SharedSampleSource[] _sources = null!;
    private float[][] _preallocatedCopies = null!;

    [GlobalSetup]
    public void Setup()
    {
        _registry = new SharedBufferRegistry();
        var data = new float[Channels * Frames];
        var rng = new Random(3);
        for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        _sample = _registry.Register(1, data, Channels, Frames, 48_000);
        _sources = new SharedSampleSource[Sources];
        _preallocatedCopies = new float[Sources][];
        for (int i = 0; i < Sources; i++) _preallocatedCopies[i] = new float[Channels * Frames];
    }

    [GlobalCleanup]
    public void Cleanup() => _registry.Dispose();

    [Benchmark(Baseline = true)]
    public float[][] Copy_100Sources_NewArrays()
    {
        var copies = new float[Sources][];
        for (int i = 0; i < Sources; i++)
        {
            var copy = new float[Channels * Frames];
            for (int c = 0; c < Channels; c++) _sample.GetChannel(c).CopyTo(copy.AsSpan(c * Frames, Frames));
            copies[i] = copy;
        }

        return copies;
    }

    [Benchmark]
    public float Copy_100Sources_IntoPreallocated()
    {
        for (int i = 0; i < Sources; i++)
            for (int c = 0; c < Channels; c++) _sample.GetChannel(c).CopyTo(_preallocatedCopies[i].AsSpan(c * Frames, Frames));
        return _preallocatedCopies[Sources - 1][0];
    }

    [Benchmark]
    public int Share_100Sources()
    {
        // Create: look up by id (no mutex), each source takes a reference. Then end them so the next run starts clean.
        for (int i = 0; i < Sources; i++)
        {
            if (_registry.TryAcquire(1, out var buffer))
            {
                _sources[i].Assign(buffer);
                buffer.Release();
            }
        }

        int refs = _sample.ReferenceCount;
        for (int i = 0; i < Sources; i++) _sources[i].Reset();
        return refs;
    }
}
