using NPlug.Buffers.Pools;

namespace NPlug.Buffers.Tests.Pools;

/// <summary>Seed 003's "100 laser sounds": one 0.3 s stereo 48 kHz float buffer played by 100 sources.</summary>
public sealed unsafe class SharedSourcesScenarioTests
{
    private const int SampleRate = 48_000;
    private const int Frames = 14_400; // 0.3 s
    private const int Channels = 2;
    private const int Sources = 100;

    [Fact]
    public void HundredSources_HoldOneCopy_AllocateNothingPerSource_AndPlayTheSameSamples()
    {
        using var registry = new SharedBufferRegistry();
        var laser = registry.Allocate(42, Channels, Frames, SampleRate);
        for (int c = 0; c < Channels; c++)
        {
            var ch = laser.GetWritableChannel(c);
            for (int f = 0; f < Frames; f++)
                ch[f] = (float)(Math.Sin(2 * Math.PI * (880 - f * 0.04) * f / SampleRate) * Math.Exp(-f / 3000.0) * (c == 0 ? 1 : 0.8));
        }

        registry.Register(laser);
        long oneCopy = (long)Channels * Frames * sizeof(float); // 115,200 bytes
        long before = registry.LiveBytes;
        Assert.InRange(before, oneCopy, oneCopy + 64); // the samples plus one cache line of channel table

        var sources = new SharedSampleSource[Sources];
        CreateSources(registry, sources); // warm up: JIT and tiering allocate, the scenario must not
        foreach (ref var s in sources.AsSpan()) s.Reset();

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        CreateSources(registry, sources);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.Equal(0, allocated);
        Assert.Equal(before, registry.LiveBytes);          // still one copy
        Assert.Equal(Sources + 1, laser.ReferenceCount);   // 100 sources + the registry

        // Every source plays exactly the registered samples (reference: the buffer's own channels, read directly).
        float[] left = new float[Frames];
        float[] right = new float[Frames];
        fixed (float* l = left, r = right)
        {
            float** outs = stackalloc float*[2] { l, r };
            var block = new AudioBlock<float>(outs, 2, Frames);
            for (int i = 0; i < Sources; i++) Assert.Equal(Frames, sources[i].MixInto(block, 1f / Sources));
        }

        var refLeft = laser.GetChannel(0);
        var refRight = laser.GetChannel(1);
        for (int f = 0; f < Frames; f += 97)
        {
            Assert.Equal(refLeft[f], left[f], 1e-5f);
            Assert.Equal(refRight[f], right[f], 1e-5f);
        }

        // Copies (seed 003's "before") would hold Sources x one copy.
        Assert.Equal(100 * oneCopy, Sources * (long)laser.ByteCount);

        foreach (ref var s in sources.AsSpan()) s.Reset();
        Assert.Equal(1, laser.ReferenceCount);
    }

    private static void CreateSources(SharedBufferRegistry registry, SharedSampleSource[] sources)
    {
        for (int i = 0; i < sources.Length; i++)
        {
            if (!registry.TryAcquire(42, out var buffer)) throw new InvalidOperationException("missing sample");
            sources[i].Assign(buffer);
            buffer.Release(); // the source took its own reference
        }
    }
}
