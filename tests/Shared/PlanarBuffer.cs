using System.Runtime.CompilerServices;
using NPlug.Buffers;

namespace NPlug.Buffers.Tests;

/// <summary>
/// Pinned planar test buffers (zeroed) with the pointer table an <see cref="AudioBlock{T}"/> views. One copy for every
/// test project, compiled in as a linked file (tests/Shared). Disposing is optional: the pinned arrays live as long as
/// the buffer object.
/// </summary>
internal sealed unsafe class PlanarBuffer<T> : IDisposable where T : unmanaged
{
    private readonly nint[] _pointers;

    public PlanarBuffer(int channels, int frames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        Channels = new T[channels][];
        _pointers = GC.AllocateArray<nint>(Math.Max(1, channels), pinned: true);
        for (int c = 0; c < channels; c++)
        {
            // At least one element, so a zero-frame buffer still has a valid channel pointer.
            Channels[c] = GC.AllocateArray<T>(Math.Max(1, frames), pinned: true);
            _pointers[c] = (nint)Unsafe.AsPointer(ref Channels[c][0]);
        }

        Frames = frames;
    }

    /// <summary>The channel arrays themselves (each at least <see cref="Frames"/> long).</summary>
    public T[][] Channels { get; }

    public int Frames { get; }

    public int ChannelCount => Channels.Length;

    /// <summary>Channel <paramref name="channel"/>'s first <see cref="Frames"/> samples.</summary>
    public Span<T> this[int channel] => Channels[channel].AsSpan(0, Frames);

    public AudioBlock<T> Block(int frames) =>
        new((T**)Unsafe.AsPointer(ref _pointers[0]), ChannelCount, frames);

    public AudioBlock<T> Block() => Block(Frames);

    public void Dispose()
    {
    }
}
