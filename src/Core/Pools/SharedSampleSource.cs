namespace NPlug.Buffers.Pools;

/// <summary>
/// A playback cursor over a <see cref="SharedSampleBuffer"/>: what a voice or buffer source holds. Assigning a buffer
/// takes a reference and copies no samples, so creating many sources of one sample costs no memory per source.
/// </summary>
/// <remarks>
/// A mutable struct meant to live in a pre-allocated array of voices and be used by reference
/// (<c>ref var v = ref voices[i]</c>); a copy shares the same reference without owning one. All members are audio-safe
/// (no allocation, no lock); the last <see cref="Reset"/> of a buffer only queues it for freeing.
/// </remarks>
public struct SharedSampleSource
{
    /// <summary>The buffer this source plays, or null.</summary>
    public SharedSampleBuffer? Buffer { get; private set; }

    /// <summary>Next frame to play.</summary>
    public int Position { get; set; }

    /// <summary>True while a buffer is assigned and frames remain.</summary>
    public readonly bool IsPlaying => Buffer != null && Position < Buffer.FrameCount;

    /// <summary>
    /// Points this source at <paramref name="buffer"/> from frame 0, taking a reference (and dropping the previous
    /// buffer's). False, with the source left empty, if the buffer is null or already retiring.
    /// </summary>
    public bool Assign(SharedSampleBuffer? buffer)
    {
        SharedSampleBuffer? previous = Buffer;
        bool ok = buffer != null && buffer.TryAddRef();
        Buffer = ok ? buffer : null;
        Position = 0;
        previous?.Release();
        return ok;
    }

    /// <summary>Drops the buffer reference (if any).</summary>
    public void Reset()
    {
        SharedSampleBuffer? previous = Buffer;
        Buffer = null;
        Position = 0;
        previous?.Release();
    }

    /// <summary>
    /// Adds up to <c>output.FrameCount</c> frames times <paramref name="gain"/> into <paramref name="output"/>, advances,
    /// and returns the frames rendered (0 when finished). Source channels beyond the output's are ignored; a mono
    /// source feeds every output channel. Null output channels are skipped.
    /// </summary>
    public int MixInto(AudioBlock<float> output, float gain)
    {
        SharedSampleBuffer? buffer = Buffer;
        if (buffer == null || output.IsEmpty) return 0;
        int frames = Math.Min(output.FrameCount, buffer.FrameCount - Position);
        if (frames <= 0) return 0;
        for (int c = 0; c < output.ChannelCount; c++)
        {
            Span<float> target = output[c];
            if (target.IsEmpty) continue;
            int sourceChannel = buffer.ChannelCount == 1 ? 0 : c;
            if (sourceChannel >= buffer.ChannelCount) continue;
            ReadOnlySpan<float> source = buffer.GetChannel(sourceChannel).Slice(Position, frames);
            for (int i = 0; i < frames; i++) target[i] += source[i] * gain;
        }

        Position += frames;
        return frames;
    }
}
