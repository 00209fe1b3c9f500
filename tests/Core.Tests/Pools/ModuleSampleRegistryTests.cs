using NPlug.Buffers.Pools;

namespace NPlug.Buffers.Tests.Pools;

/// <summary>Sharing sample content across instances through a registry (the module one, or a private one).</summary>
public sealed class ModuleSampleRegistryTests
{
    private static int s_fills;

    private static void FillRamp(SharedSampleBuffer b)
    {
        Interlocked.Increment(ref s_fills);
        for (int c = 0; c < b.ChannelCount; c++)
        {
            Span<float> ch = b.GetWritableChannel(c);
            for (int i = 0; i < ch.Length; i++) ch[i] = c + i * 0.001f;
        }
    }

    [Fact]
    public void TwoInstancesSharingAKey_HoldOneCopy_FilledOnce_AndTheLastUserUnregistersIt()
    {
        using var registry = new SharedBufferRegistry();
        int fillsBefore = Volatile.Read(ref s_fills);
        SharedSample a = registry.Share("default/v1", 2, 48_000, 48_000, FillRamp);
        long oneCopy = registry.LiveBytes;
        SharedSample b = registry.Share("default/v1", 2, 48_000, 48_000, FillRamp);
        Assert.Equal(1, Volatile.Read(ref s_fills) - fillsBefore);
        Assert.Same(a.Buffer, b.Buffer);
        Assert.Equal(a.Id, b.Id);
        Assert.Equal(oneCopy, registry.LiveBytes); // the second instance added nothing
        Assert.Equal(1, registry.Count);
        Assert.Equal(1, registry.SharedKeyCount);

        a.Dispose();
        a.Dispose(); // idempotent
        Assert.True(registry.Contains(b.Id));
        SharedSampleBuffer buffer = b.Buffer!;
        b.Dispose();
        Assert.False(registry.Contains(buffer.Id));
        Assert.Equal(0, registry.SharedKeyCount);
        Assert.True(buffer.IsRetired);
        Assert.Equal(1, registry.CollectRetired());
        Assert.Equal(0, registry.LiveBytes);
    }

    [Fact]
    public void AVoiceStillPlaying_KeepsTheSampleAlive_ItsLastReleaseOnlyEnqueues_FreedOffTheAudioThread()
    {
        using var registry = new SharedBufferRegistry();
        SharedSample share = registry.Share("file:/a.wav:1234:5678", 1, 1000, 44_100, FillRamp);
        Assert.True(registry.TryAcquire(share.Id, out SharedSampleBuffer? voice)); // note-on
        share.Dispose();                                                          // the instance goes away
        Assert.False(voice.IsRetired);
        Assert.Equal(0.001f * 10, voice.GetChannel(0)[10]);

        long allocatedBefore = 0, allocated = -1;
        var audio = new Thread(() =>
        {
            allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            voice.Release(); // voice ends: the last reference, on the audio thread
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        });
        audio.Start();
        audio.Join();
        Assert.Equal(0, allocated);
        Assert.True(voice.IsRetired);
        Assert.False(voice.IsFreed); // not freed on the audio thread
        Assert.Equal(1, registry.CollectRetired());
        Assert.True(voice.IsFreed);
    }

    [Fact]
    public void ShareContent_SameSamples_OneCopy_DifferentSamples_TwoCopies()
    {
        using var registry = new SharedBufferRegistry();
        float[] data = Enumerable.Range(0, 2 * 500).Select(i => MathF.Sin(i * 0.1f)).ToArray();
        float[] same = (float[])data.Clone();
        float[] other = (float[])data.Clone();
        other[777] += 1e-3f;
        using SharedSample a = registry.ShareContent(data, 2, 500, 48_000);
        using SharedSample b = registry.ShareContent(same, 2, 500, 48_000);
        using SharedSample c = registry.ShareContent(other, 2, 500, 48_000);
        Assert.Same(a.Buffer, b.Buffer);
        Assert.NotSame(a.Buffer, c.Buffer);
        Assert.Equal(2, registry.Count);
        Assert.Equal(other[777], c.Buffer!.GetChannel(1)[277]);
    }

    [Fact]
    public void TheModuleRegistry_IsOnePerProcess_AndCannotBeDisposedByAnInstance()
    {
        SharedBufferRegistry module = SharedBufferRegistry.Module;
        Assert.Same(module, SharedBufferRegistry.Module);
        using SharedSample s = module.Share("test/module-registry/" + Guid.NewGuid(), 1, 64, 48_000, FillRamp);
        module.Dispose();
        Assert.True(module.Contains(s.Id));
        Assert.True(s.Id >= SharedBufferRegistry.FirstAllocatedId);
    }
}
