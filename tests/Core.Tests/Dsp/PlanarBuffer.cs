using System.Runtime.InteropServices;
using NPlug.Buffers;

namespace NPlug.Buffers.Tests.Dsp;

/// <summary>Native planar channels plus the pointer array an <see cref="AudioBlock{T}"/> views.</summary>
internal sealed unsafe class PlanarBuffer<T> : IDisposable where T : unmanaged
{
    private readonly T** _pointers;

    public PlanarBuffer(int channels, int frames)
    {
        Channels = channels;
        Frames = frames;
        _pointers = (T**)NativeMemory.AllocZeroed((nuint)Math.Max(channels, 1), (nuint)sizeof(T*));
        for (int c = 0; c < channels; c++)
            _pointers[c] = (T*)NativeMemory.AllocZeroed((nuint)Math.Max(frames, 1), (nuint)sizeof(T));
    }

    public int Channels { get; }

    public int Frames { get; }

    public Span<T> this[int channel] => new(_pointers[channel], Frames);

    public AudioBlock<T> Block => new(_pointers, Channels, Frames);

    public void Dispose()
    {
        for (int c = 0; c < Channels; c++) NativeMemory.Free(_pointers[c]);
        NativeMemory.Free(_pointers);
    }
}
