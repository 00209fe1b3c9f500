namespace NPlug.Buffers.Pools;

/// <summary>
/// One holder's use of a sample shared by key in a <see cref="SharedBufferRegistry"/> (usually
/// <see cref="SharedBufferRegistry.Module"/>): an instance keeps it while it may start notes on the sample and disposes
/// it (off the audio thread) when it stops. Voices do not hold this; they take buffer references at note-on through
/// <see cref="SharedBufferRegistry.TryAcquire"/> with <see cref="Id"/>.
/// </summary>
public sealed class SharedSample : IDisposable
{
    private readonly SharedBufferRegistry _registry;
    private SharedSampleBuffer? _buffer;

    internal SharedSample(SharedBufferRegistry registry, string key, SharedSampleBuffer buffer)
    {
        _registry = registry;
        Key = key;
        _buffer = buffer;
        Id = buffer.Id;
        ChannelCount = buffer.ChannelCount;
        FrameCount = buffer.FrameCount;
        SampleRate = buffer.SampleRate;
    }

    public SharedBufferRegistry Registry => _registry;

    public string Key { get; }

    /// <summary>The registry id voices look the sample up with.</summary>
    public int Id { get; }

    public int ChannelCount { get; }

    public int FrameCount { get; }

    public double SampleRate { get; }

    /// <summary>The buffer (no reference is taken; valid while this share is undisposed). Null after Dispose.</summary>
    public SharedSampleBuffer? Buffer => _buffer;

    public bool IsDisposed => _buffer == null;

    /// <summary>Drops this usage; the last one unregisters the key (non-audio thread).</summary>
    public void Dispose()
    {
        SharedSampleBuffer? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer != null) _registry.Unshare(Key, buffer);
    }
}
