using System.Runtime.CompilerServices;

namespace NPlug.Buffers;

/// <summary>
/// A non-owning view over planar audio: one pointer per channel and a shared frame count.
/// It is the currency between format wrappers, <c>ProcessBufferStorage</c> and the DSP chain:
/// the wrapper owns the pointer array, the view only reads it, so building or slicing a block
/// never allocates.
/// </summary>
/// <remarks>
/// A channel pointer may be null (a host gave none and nobody substituted a buffer). The indexer
/// then yields an empty span, so a kernel that loops over <c>span.Length</c> cannot write through null.
/// </remarks>
public readonly unsafe ref struct AudioBlock<T> where T : unmanaged
{
    private readonly T** _channels;
    private readonly int _offset;

    // Inlined (the checks throw from a helper): a view built in a call and returned through its hidden return buffer
    // then lands in the caller's storage directly, instead of being written field by field into a temporary and read
    // back whole (a store-forwarding stall measured at the framework's per-block views).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public AudioBlock(T** channels, int channelCount, int frameCount)
        : this(channels, channelCount, frameCount, 0)
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private AudioBlock(T** channels, int channelCount, int frameCount, int offset)
    {
        if (channelCount < 0 || frameCount < 0 || (channels == null && channelCount != 0)) ThrowInvalid(channels == null, channelCount, frameCount);
        _channels = channels;
        ChannelCount = channelCount;
        FrameCount = frameCount;
        _offset = offset;
    }

    public static AudioBlock<T> Empty => default;

    public int ChannelCount { get; }

    public int FrameCount { get; }

    public bool IsEmpty => ChannelCount == 0 || FrameCount == 0;

    /// <summary>The samples of one channel; empty when the channel pointer is null.</summary>
    public Span<T> this[int channel]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)channel >= (uint)ChannelCount) ThrowChannel();
            T* p = _channels[channel];
            return p == null ? Span<T>.Empty : new Span<T>(p + _offset, FrameCount);
        }
    }

    /// <summary>The raw pointer of a channel, already advanced to this view's first frame (null stays null).</summary>
    public T* GetChannelPointer(int channel)
    {
        if ((uint)channel >= (uint)ChannelCount) ThrowChannel();
        T* p = _channels[channel];
        return p == null ? null : p + _offset;
    }

    public bool IsChannelNull(int channel)
    {
        if ((uint)channel >= (uint)ChannelCount) ThrowChannel();
        return _channels[channel] == null;
    }

    /// <summary>Frames [start, start + length) of every channel, without copying the pointer array.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public AudioBlock<T> Slice(int start, int length)
    {
        if ((uint)start > (uint)FrameCount || (uint)length > (uint)(FrameCount - start)) ThrowSlice();
        return new AudioBlock<T>(_channels, ChannelCount, length, _offset + start);
    }

    /// <summary>The first <paramref name="count"/> channels (e.g. main channels of a wider bus).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public AudioBlock<T> WithChannels(int count)
    {
        if ((uint)count > (uint)ChannelCount) ThrowChannel();
        return new AudioBlock<T>(_channels, count, FrameCount, _offset);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowInvalid(bool nullChannels, int channelCount, int frameCount)
    {
        if (channelCount < 0) throw new ArgumentOutOfRangeException(nameof(channelCount));
        if (frameCount < 0) throw new ArgumentOutOfRangeException(nameof(frameCount));
        if (nullChannels) throw new ArgumentNullException("channels");
    }

    private static void ThrowChannel() => throw new ArgumentOutOfRangeException("channel");

    private static void ThrowSlice() => throw new ArgumentOutOfRangeException("start");
}
