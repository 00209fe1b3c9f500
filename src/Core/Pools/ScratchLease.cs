using System.Runtime.CompilerServices;

namespace NPlug.Buffers.Pools;

/// <summary>
/// Scratch channels leased from a <see cref="ScratchRegistration{T}"/>: <see cref="ChannelCount"/> planar channels of
/// <see cref="Frames"/> samples each, taken from the module's <see cref="ScratchPool{T}"/> or, when the pool was short,
/// from the registration's small fallback. A value type: leasing, holding (a voice may keep one across blocks) and
/// returning it never allocates. Every member is audio-safe and none throws.
/// </summary>
/// <remarks>
/// <para><see cref="Frames"/> is how many frames the caller may process in one pass with this lease: the requested
/// count (capped at the registration's maximum) when the lease is pooled, at most
/// <see cref="ScratchRegistration{T}.FallbackFrames"/> when it fell back. A DSP loop walks its block in passes of
/// <see cref="Frames"/>; with a sub-block invariant DSP (state carried from sample to sample, as biquads and
/// per-sample smoothers are) the output is identical either way.</para>
/// <para>The content is undefined on lease (whatever the last holder left): write before you read.</para>
/// <para><see cref="Dispose"/> returns the lease once; disposing a copy again, or after the slot was leased anew, is
/// refused and counted (<see cref="ScratchPoolStatistics.Rejected"/>). The memory is yours only until then.</para>
/// </remarks>
public readonly unsafe struct ScratchLease<T> : IDisposable where T : unmanaged
{
    private readonly ScratchRegistration<T>? _owner;
    private readonly T** _channels;
    private readonly int _channelCount;
    private readonly int _frames;
    private readonly int _slot;
    private readonly int _generation;
    private readonly bool _pooled;

    internal ScratchLease(ScratchRegistration<T> owner, T** channels, int channelCount, int frames, int slot, int generation, bool pooled)
    {
        _owner = owner;
        _channels = channels;
        _channelCount = channelCount;
        _frames = frames;
        _slot = slot;
        _generation = generation;
        _pooled = pooled;
    }

    /// <summary>False for the empty lease (a refused request, or <c>default</c>): it has no channels and 0 frames.</summary>
    public bool IsValid => _owner != null;

    /// <summary>True when the channels come from the shared pool; false when they are the registration's fallback.</summary>
    public bool IsPooled => _pooled;

    /// <summary>Frames per channel usable in one pass (≥ 1 for a valid lease).</summary>
    public int Frames => _frames;

    public int ChannelCount => _channelCount;

    /// <summary>The registration slot this lease occupies.</summary>
    public int Slot => _slot;

    /// <summary>One channel, <see cref="Frames"/> long (64-byte aligned); empty for a channel out of range.</summary>
    public Span<T> this[int channel]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (uint)channel < (uint)_channelCount ? new Span<T>(_channels[channel], _frames) : Span<T>.Empty;
    }

    /// <summary>Pointer to a channel's first sample; null out of range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T* GetChannelPointer(int channel) => (uint)channel < (uint)_channelCount ? _channels[channel] : null;

    /// <summary>A planar view of every channel (the pointer table lives in the registration's native memory).</summary>
    public AudioBlock<T> AsBlock() => new(_channels, _channelCount, _frames);

    /// <summary>A planar view of the first <paramref name="frames"/> frames (clamped to <see cref="Frames"/>).</summary>
    public AudioBlock<T> AsBlock(int frames) => new(_channels, _channelCount, Math.Clamp(frames, 0, _frames));

    /// <summary>Returns the lease (its buffers go back to the pool's free list). Audio-safe; the empty lease ignores it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dispose() => _owner?.Return(_slot, _generation);
}
