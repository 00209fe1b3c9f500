using System.Runtime.InteropServices;

namespace NPlug.Buffers.Tests.Storage;

/// <summary>
/// A host-side bus in the shape of VST3's AudioBusBuffers: a native channel-pointer array whose entries point
/// at native sample buffers, any of which the test may null out.
/// </summary>
internal sealed unsafe class HostBus<T> : IDisposable where T : unmanaged
{
    private readonly T*[] _owned;

    public HostBus(int channelCount, int frames)
    {
        ChannelCount = channelCount;
        Frames = frames;
        Channels = (T**)NativeMemory.AllocZeroed((nuint)Math.Max(channelCount, 1), (nuint)sizeof(T*));
        _owned = new T*[channelCount];
        for (int c = 0; c < channelCount; c++)
        {
            _owned[c] = (T*)NativeMemory.AllocZeroed((nuint)frames, (nuint)sizeof(T));
            Channels[c] = _owned[c];
        }
    }

    public T** Channels { get; }

    public int ChannelCount { get; }

    public int Frames { get; }

    /// <summary>The buffer the host originally allocated for a channel, even after its entry was nulled.</summary>
    public T* Owned(int channel) => _owned[channel];

    public Span<T> Samples(int channel) => new(_owned[channel], Frames);

    public void Null(int channel) => Channels[channel] = null;

    /// <summary>Makes channel <paramref name="channel"/> of this bus share <paramref name="other"/>'s buffer.</summary>
    public void ShareWith(HostBus<T> other, int channel) => Channels[channel] = other.Channels[channel];

    public void Dispose()
    {
        foreach (var p in _owned) NativeMemory.Free(p);
        NativeMemory.Free(Channels);
    }
}
