using System.Runtime.InteropServices;

namespace NPlug.Buffers.Pools;

/// <summary>
/// One copy of a sample's data (planar float, <see cref="ChannelCount"/> x <see cref="FrameCount"/>, 64-byte aligned
/// native memory), shared by any number of voices or sources. Sharing it copies a reference, never samples.
/// </summary>
/// <remarks>
/// <para>Lifetime: the creator holds the first reference. Every other holder calls <see cref="TryAddRef"/> and later
/// <see cref="Release"/>. The release that drops the count to zero, on whatever thread (typically the audio thread),
/// only pushes the buffer onto its <see cref="SampleRetireQueue"/>; the memory is freed later by
/// <see cref="SampleRetireQueue.CollectRetired"/> on a non-audio thread. A count that reached zero never comes back, so
/// <see cref="TryAddRef"/> on a retiring buffer fails instead of resurrecting it.</para>
/// <para>Audio-safe: <see cref="TryAddRef"/>, <see cref="Release"/>, <see cref="GetChannel"/>, <see cref="AsBlock"/> and
/// the properties. Creation and <see cref="GetWritableChannel"/> (fill before you share) belong to a non-audio thread.</para>
/// </remarks>
public sealed unsafe class SharedSampleBuffer
{
    private const int Alignment = 64;

    private readonly SampleRetireQueue _retireQueue;
    private byte* _block;      // channel table, then the samples
    private float** _channels;
    private int _referenceCount;
    private int _retired;
    internal SharedSampleBuffer? NextRetired;

    /// <summary>Allocates zeroed sample memory on a non-audio thread; the caller holds one reference.</summary>
    public SharedSampleBuffer(int id, int channelCount, int frameCount, double sampleRate, SampleRetireQueue retireQueue)
    {
        ArgumentNullException.ThrowIfNull(retireQueue);
        if (channelCount <= 0) throw new ArgumentOutOfRangeException(nameof(channelCount));
        if (frameCount <= 0) throw new ArgumentOutOfRangeException(nameof(frameCount));
        if (!(sampleRate > 0) || !double.IsFinite(sampleRate)) throw new ArgumentOutOfRangeException(nameof(sampleRate));

        long stride = ((long)frameCount + 15) / 16 * 16; // 16 floats = 64 bytes, so every channel starts aligned
        long sampleBytes = stride * channelCount * sizeof(float);
        long tableBytes = ((long)channelCount * sizeof(float*) + Alignment - 1) / Alignment * Alignment;

        Id = id;
        ChannelCount = channelCount;
        FrameCount = frameCount;
        SampleRate = sampleRate;
        ByteCount = sampleBytes;
        _retireQueue = retireQueue;

        _block = (byte*)NativeMemory.AlignedAlloc((nuint)(tableBytes + sampleBytes), Alignment);
        NativeMemory.Clear(_block, (nuint)(tableBytes + sampleBytes));
        _channels = (float**)_block;
        float* samples = (float*)(_block + tableBytes);
        for (int c = 0; c < channelCount; c++) _channels[c] = samples + c * stride;

        _referenceCount = 1;
        retireQueue.OnAllocated(sampleBytes + tableBytes);
    }

    ~SharedSampleBuffer()
    {
        // Only reached when no one can touch the buffer any more (never released, now unreachable).
        FreeNative();
    }

    public int Id { get; }

    public int ChannelCount { get; }

    public int FrameCount { get; }

    public double SampleRate { get; }

    /// <summary>Bytes of sample memory (channels x frames rounded up to 64 bytes x 4).</summary>
    public long ByteCount { get; }

    /// <summary>Current number of references (a snapshot).</summary>
    public int ReferenceCount => Volatile.Read(ref _referenceCount);

    /// <summary>True once the last reference was released (the buffer is queued or already freed).</summary>
    public bool IsRetired => Volatile.Read(ref _retired) != 0;

    /// <summary>True once <see cref="SampleRetireQueue.CollectRetired"/> freed the memory.</summary>
    public bool IsFreed => _block == null;

    /// <summary>Adds a reference; false if the buffer is already retiring (its count reached zero).</summary>
    public bool TryAddRef()
    {
        int current = Volatile.Read(ref _referenceCount);
        while (current > 0 && current < int.MaxValue)
        {
            int seen = Interlocked.CompareExchange(ref _referenceCount, current + 1, current);
            if (seen == current) return true;
            current = seen;
        }

        return false;
    }

    /// <summary>
    /// Drops a reference. The last one queues the buffer for freeing on a non-audio thread; nothing is freed here.
    /// Returns false (and changes nothing) when the count is already zero (double release).
    /// </summary>
    public bool Release()
    {
        int current = Volatile.Read(ref _referenceCount);
        while (current > 0)
        {
            int seen = Interlocked.CompareExchange(ref _referenceCount, current - 1, current);
            if (seen == current)
            {
                if (current == 1)
                {
                    Volatile.Write(ref _retired, 1);
                    _retireQueue.Enqueue(this);
                }

                return true;
            }

            current = seen;
        }

        return false;
    }

    /// <summary>The samples of one channel (read-only); empty once freed.</summary>
    public ReadOnlySpan<float> GetChannel(int channel)
    {
        if ((uint)channel >= (uint)ChannelCount) throw new ArgumentOutOfRangeException(nameof(channel));
        float** channels = _channels;
        return channels == null ? ReadOnlySpan<float>.Empty : new ReadOnlySpan<float>(channels[channel], FrameCount);
    }

    /// <summary>Writable samples of one channel, for filling the buffer on a non-audio thread before it is shared.</summary>
    public Span<float> GetWritableChannel(int channel)
    {
        if ((uint)channel >= (uint)ChannelCount) throw new ArgumentOutOfRangeException(nameof(channel));
        float** channels = _channels;
        return channels == null ? Span<float>.Empty : new Span<float>(channels[channel], FrameCount);
    }

    /// <summary>Raw pointer to a channel (null once freed).</summary>
    public float* GetChannelPointer(int channel)
    {
        if ((uint)channel >= (uint)ChannelCount) throw new ArgumentOutOfRangeException(nameof(channel));
        float** channels = _channels;
        return channels == null ? null : channels[channel];
    }

    /// <summary>A planar view of all channels (empty once freed). Treat it as read-only: every holder sees the same samples.</summary>
    public AudioBlock<float> AsBlock()
    {
        float** channels = _channels;
        return channels == null ? AudioBlock<float>.Empty : new AudioBlock<float>(channels, ChannelCount, FrameCount);
    }

    /// <summary>Copies planar data (channel after channel, <see cref="FrameCount"/> each) in; non-audio, before sharing.</summary>
    public void CopyFromPlanar(ReadOnlySpan<float> planar)
    {
        if (planar.Length < (long)ChannelCount * FrameCount) throw new ArgumentException("Too few samples.", nameof(planar));
        for (int c = 0; c < ChannelCount; c++) planar.Slice(c * FrameCount, FrameCount).CopyTo(GetWritableChannel(c));
    }

    /// <summary>Copies interleaved data (frame after frame) in; non-audio, before sharing.</summary>
    public void CopyFromInterleaved(ReadOnlySpan<float> interleaved)
    {
        if (interleaved.Length < (long)ChannelCount * FrameCount) throw new ArgumentException("Too few samples.", nameof(interleaved));
        for (int c = 0; c < ChannelCount; c++)
        {
            Span<float> target = GetWritableChannel(c);
            for (int f = 0; f < FrameCount; f++) target[f] = interleaved[f * ChannelCount + c];
        }
    }

    /// <summary>Called by the retire queue on a non-audio thread. Returns the bytes freed.</summary>
    internal long FreeNative()
    {
        byte* block = _block;
        if (block == null) return 0;
        _channels = null;
        _block = null;
        NativeMemory.AlignedFree(block);
        GC.SuppressFinalize(this);
        long bytes = ByteCount + ((long)ChannelCount * sizeof(float*) + Alignment - 1) / Alignment * Alignment;
        _retireQueue.OnFreed(bytes);
        return bytes;
    }
}
