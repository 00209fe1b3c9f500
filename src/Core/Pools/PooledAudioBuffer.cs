using System.Runtime.CompilerServices;

namespace NPlug.Buffers.Pools;

/// <summary>
/// A handle to one buffer of an <see cref="AudioBufferPool{T}"/>: a small struct, so holding, copying and passing it
/// never allocates. The default value is the empty handle (no channels, every operation a no-op that returns false/0).
/// </summary>
/// <remarks>
/// <para>Reference counting: <see cref="AudioBufferPool{T}.TryAcquire"/> returns a handle holding one reference. Each
/// extra owner calls <see cref="AddRef"/>; each owner calls <see cref="Release"/> once. When the count reaches zero the
/// buffer goes back to the pool, exactly once. Copies of a handle are the same reference, not new ones.</para>
/// <para>Double release: once the buffer is back in the pool, releasing through any copy of the handle is refused
/// (returns false and counts in <see cref="PoolStatistics.RejectedReleases"/>) even if the slot has a new owner, because
/// the handle carries the slot's generation. Two releases by one owner while others still hold references cannot be
/// told apart from two owners releasing, so they are not detected.</para>
/// <para>The sample memory is only yours while you hold a reference; spans taken from a released handle point at a
/// buffer someone else may own. All members are audio-safe.</para>
/// </remarks>
public readonly unsafe struct PooledAudioBuffer<T> where T : unmanaged
{
    private readonly AudioBufferPool<T>? _pool;
    private readonly T* _data;
    private readonly long _token; // generation << 16 | slot index

    internal PooledAudioBuffer(AudioBufferPool<T> pool, T* data, long token)
    {
        _pool = pool;
        _data = data;
        _token = token;
    }

    internal AudioBufferPool<T>? Pool => _pool;

    internal long Token => _token;

    /// <summary>False for the empty handle (a failed acquire or <c>default</c>).</summary>
    public bool IsValid => _pool != null;

    /// <summary>The pool slot this handle refers to (stable for the pool's lifetime; useful for diagnostics).</summary>
    public int SlotIndex => _pool == null ? -1 : (int)(_token & 0xFFFF);

    /// <summary>Which acquire of the slot this handle came from.</summary>
    public long Generation => _token >> 16;

    public int ChannelCount => _pool?.ChannelCount ?? 0;

    public int FrameCount => _pool?.FrameCount ?? 0;

    /// <summary>Live references of this acquisition; 0 once it went back to the pool.</summary>
    public int ReferenceCount => _pool?.ReferenceCount(_token) ?? 0;

    /// <summary>The samples of one channel (<see cref="FrameCount"/> long, 64-byte aligned); empty for the empty handle.</summary>
    public Span<T> this[int channel]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => GetChannel(channel);
    }

    /// <summary>The samples of one channel; empty for the empty handle.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<T> GetChannel(int channel)
    {
        AudioBufferPool<T>? pool = _pool;
        if (pool == null) return Span<T>.Empty;
        if ((uint)channel >= (uint)pool.ChannelCount) ThrowChannel();
        return new Span<T>(_data + (nint)channel * pool.ChannelStride, pool.FrameCount);
    }

    /// <summary>Raw pointer to a channel's first sample (null for the empty handle).</summary>
    public T* GetChannelPointer(int channel)
    {
        AudioBufferPool<T>? pool = _pool;
        if (pool == null) return null;
        if ((uint)channel >= (uint)pool.ChannelCount) ThrowChannel();
        return _data + (nint)channel * pool.ChannelStride;
    }

    /// <summary>A planar view of the whole buffer (the channel pointer table lives in the pool's native memory).</summary>
    public AudioBlock<T> AsBlock()
    {
        AudioBufferPool<T>? pool = _pool;
        if (pool == null) return AudioBlock<T>.Empty;
        return new AudioBlock<T>((T**)pool.GetChannelTable((int)(_token & 0xFFFF)), pool.ChannelCount, pool.FrameCount);
    }

    /// <summary>Zeroes every channel.</summary>
    public void Clear()
    {
        int channels = ChannelCount;
        for (int c = 0; c < channels; c++) GetChannel(c).Clear();
    }

    /// <summary>Copies <paramref name="source"/> into one channel; returns the frames copied (at most <see cref="FrameCount"/>).</summary>
    public int CopyFrom(int channel, ReadOnlySpan<T> source)
    {
        Span<T> target = GetChannel(channel);
        int n = Math.Min(source.Length, target.Length);
        source.Slice(0, n).CopyTo(target);
        return n;
    }

    /// <summary>Copies one channel into <paramref name="destination"/>; returns the frames copied.</summary>
    public int CopyTo(int channel, Span<T> destination)
    {
        Span<T> source = GetChannel(channel);
        int n = Math.Min(source.Length, destination.Length);
        source.Slice(0, n).CopyTo(destination);
        return n;
    }

    /// <summary>
    /// Copies the overlapping channels and frames of a planar block into this buffer; returns the frames copied per
    /// channel. Null channels of the block are skipped (this buffer's channel keeps its content).
    /// </summary>
    public int CopyFrom(AudioBlock<T> source)
    {
        int channels = Math.Min(source.ChannelCount, ChannelCount);
        int frames = Math.Min(source.FrameCount, FrameCount);
        for (int c = 0; c < channels; c++)
        {
            if (source.IsChannelNull(c)) continue;
            source[c].Slice(0, frames).CopyTo(GetChannel(c));
        }

        return channels == 0 ? 0 : frames;
    }

    /// <summary>
    /// Copies the overlapping channels and frames of this buffer into a planar block; returns the frames copied per
    /// channel. Null channels of the block are skipped.
    /// </summary>
    public int CopyTo(AudioBlock<T> destination)
    {
        int channels = Math.Min(destination.ChannelCount, ChannelCount);
        int frames = Math.Min(destination.FrameCount, FrameCount);
        for (int c = 0; c < channels; c++)
        {
            if (destination.IsChannelNull(c)) continue;
            GetChannel(c).Slice(0, frames).CopyTo(destination[c]);
        }

        return channels == 0 ? 0 : frames;
    }

    /// <summary>Adds a reference for another owner. False if this acquisition was already returned (or the handle is empty).</summary>
    public bool AddRef() => _pool != null && _pool.AddRef(_token);

    /// <summary>
    /// Drops one reference; the last one returns the buffer to the pool. False (and nothing changes) for the empty
    /// handle or when this acquisition was already returned.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Release() => _pool != null && _pool.Release(_token);

    private static void ThrowChannel() => throw new ArgumentOutOfRangeException("channel");
}
