using System.Runtime.CompilerServices;

namespace NPlug.Buffers.Tests.Chain;

/// <summary>Pinned planar test buffers with a pointer table, viewable as an <see cref="AudioBlock{T}"/>.</summary>
internal sealed unsafe class PlanarBuffer<T> where T : unmanaged
{
    private readonly nint[] _pointers;

    public PlanarBuffer(int channels, int frames)
    {
        Channels = new T[channels][];
        _pointers = GC.AllocateArray<nint>(Math.Max(1, channels), pinned: true);
        for (int c = 0; c < channels; c++)
        {
            Channels[c] = GC.AllocateArray<T>(frames, pinned: true);
            _pointers[c] = (nint)Unsafe.AsPointer(ref Channels[c][0]);
        }
        Frames = frames;
    }

    public T[][] Channels { get; }

    public int Frames { get; }

    public int ChannelCount => Channels.Length;

    public AudioBlock<T> Block(int frames) =>
        new((T**)Unsafe.AsPointer(ref _pointers[0]), ChannelCount, frames);

    public AudioBlock<T> Block() => Block(Frames);
}
