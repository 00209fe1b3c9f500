using System.Runtime.CompilerServices;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Interop.Api;

/// <summary>
/// Zero-copy view of one host <c>AudioBusBuffers</c> for the current block. Typed accessors check the
/// negotiated sample size; anything the host left out (a missing bus, a null pointer array, a null
/// channel pointer, the other precision) reads as empty instead of throwing, so a kernel that loops
/// over the span length can never touch memory the host did not give.
/// </summary>
public readonly unsafe ref struct AudioBusView
{
    private readonly AudioBusBuffers* _bus;
    private readonly int _sampleCount;
    private readonly SampleSize _sampleSize;

    public AudioBusView(AudioBusBuffers* bus, int sampleCount, SampleSize sampleSize)
    {
        _bus = bus;
        _sampleCount = sampleCount < 0 ? 0 : sampleCount;
        _sampleSize = sampleSize;
    }

    /// <summary>False when the host provided no buffers for this bus (fewer buses than declared, or a flush).</summary>
    public bool Exists => _bus != null;

    public int ChannelCount => _bus == null || _bus->NumChannels < 0 ? 0 : _bus->NumChannels;

    public int SampleCount => _sampleCount;

    public SampleSize SampleSize => _sampleSize;

    /// <summary>
    /// Bit n = channel n is silent. On inputs a hint from the host; on outputs set a bit only after
    /// zeroing that channel, and clear it when writing sound.
    /// </summary>
    public ulong SilenceFlags
    {
        get => _bus == null ? 0 : _bus->SilenceFlags;
        set { if (_bus != null) _bus->SilenceFlags = value; }
    }

    /// <summary>All channels as a 32-bit block; empty unless the block is 32-bit and the pointer array exists.</summary>
    public AudioBlock<float> AsBlock32()
    {
        if (_sampleSize != SampleSize.Float32 || _bus == null || _bus->ChannelBuffers32 == null || _bus->NumChannels <= 0)
            return AudioBlock<float>.Empty;
        return new AudioBlock<float>(_bus->ChannelBuffers32, _bus->NumChannels, _sampleCount);
    }

    /// <summary>All channels as a 64-bit block; empty unless the block is 64-bit and the pointer array exists.</summary>
    public AudioBlock<double> AsBlock64()
    {
        if (_sampleSize != SampleSize.Float64 || _bus == null || _bus->ChannelBuffers64 == null || _bus->NumChannels <= 0)
            return AudioBlock<double>.Empty;
        return new AudioBlock<double>(_bus->ChannelBuffers64, _bus->NumChannels, _sampleCount);
    }

    /// <summary>The samples of one channel in 32-bit blocks; empty for a missing/null channel or a 64-bit block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<float> GetChannel32(int channel)
    {
        if (_sampleSize != SampleSize.Float32 || !HasChannelArray(channel)) return Span<float>.Empty;
        float* p = _bus->ChannelBuffers32[channel];
        return p == null ? Span<float>.Empty : new Span<float>(p, _sampleCount);
    }

    /// <summary>The samples of one channel in 64-bit blocks; empty for a missing/null channel or a 32-bit block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<double> GetChannel64(int channel)
    {
        if (_sampleSize != SampleSize.Float64 || !HasChannelArray(channel)) return Span<double>.Empty;
        double* p = _bus->ChannelBuffers64[channel];
        return p == null ? Span<double>.Empty : new Span<double>(p, _sampleCount);
    }

    /// <summary>The samples of one channel as bytes whatever the precision (for size-agnostic copies such as bypass).</summary>
    public Span<byte> GetChannelBytes(int channel)
    {
        if (!HasChannelArray(channel)) return Span<byte>.Empty;
        void* p = _sampleSize == SampleSize.Float64 ? _bus->ChannelBuffers64[channel] : _bus->ChannelBuffers32[channel];
        int width = _sampleSize == SampleSize.Float64 ? sizeof(double) : sizeof(float);
        return p == null ? Span<byte>.Empty : new Span<byte>(p, _sampleCount * width);
    }

    /// <summary>
    /// The host's channel-pointer array at 32 bits (null when absent or the block is 64-bit). For buffer storage that
    /// collects the bus and, for an instrument, points the host's null entries at its internal buffers.
    /// </summary>
    public float** ChannelArray32 => _sampleSize == SampleSize.Float32 && _bus != null ? _bus->ChannelBuffers32 : null;

    /// <summary>The host's channel-pointer array at 64 bits (null when absent or the block is 32-bit).</summary>
    public double** ChannelArray64 => _sampleSize == SampleSize.Float64 && _bus != null ? _bus->ChannelBuffers64 : null;

    /// <summary>True when the host passed the same memory for a channel of this bus and of <paramref name="other"/> (in-place processing).</summary>
    public bool SharesChannel(int channel, AudioBusView other, int otherChannel)
    {
        if (!HasChannelArray(channel) || !other.HasChannelArray(otherChannel)) return false;
        // The union slot holds one pointer array; comparing through the 32-bit view is precision-independent.
        void* a = _bus->ChannelBuffers32[channel];
        void* b = other._bus->ChannelBuffers32[otherChannel];
        return a != null && a == b;
    }

    private bool HasChannelArray(int channel) =>
        _bus != null && (uint)channel < (uint)_bus->NumChannels && _bus->ChannelBuffers32 != null;
}
