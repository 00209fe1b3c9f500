using System.Buffers.Binary;
using System.Numerics;

namespace NPlug.Buffers.Wav;

/// <summary>
/// Writes a RIFF/WAVE stream from planar <see cref="float"/> or <see cref="double"/> samples. Sizes are patched
/// into the header on <see cref="Dispose"/>, so the stream must be seekable (files are).
/// </summary>
public sealed class WavWriter : IDisposable
{
    private const int ChunkBufferFrames = 4096;
    private const uint MaxDataBytes = uint.MaxValue - 64; // keeps the RIFF size field in range

    private static readonly byte[] SubFormatGuidTail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _buffer;
    private readonly long _riffSizeOffset;
    private readonly long _factOffset;
    private readonly long _dataSizeOffset;
    private readonly long _dataStart;
    private bool _disposed;

    public WavWriter(string path, WavFormat format, WavHeaderStyle style = WavHeaderStyle.Auto)
        : this(File.Create(path), format, style, leaveOpen: false)
    {
    }

    public WavWriter(Stream stream, WavFormat format, WavHeaderStyle style = WavHeaderStyle.Auto, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || !stream.CanWrite) throw new ArgumentException("The WAV writer needs a seekable, writable stream.", nameof(stream));
        if (format.ChannelCount == 0) throw new ArgumentException("Use a constructed WavFormat, not default.", nameof(format));
        _stream = stream;
        _leaveOpen = leaveOpen;
        Format = format;
        IsExtensible = style == WavHeaderStyle.Extensible || (style == WavHeaderStyle.Auto && format.ChannelCount > 2);
        _buffer = new byte[ChunkBufferFrames * format.BlockAlign];

        long start = stream.Position;
        var header = new List<byte>(80);
        header.AddRange("RIFF"u8.ToArray());
        _riffSizeOffset = start + header.Count;
        AddUInt32(header, 0);
        header.AddRange("WAVEfmt "u8.ToArray());

        ushort tag = (ushort)(format.IsFloat ? 3 : 1);
        AddUInt32(header, IsExtensible ? 40u : format.IsFloat ? 18u : 16u);
        AddUInt16(header, IsExtensible ? (ushort)0xFFFE : tag);
        AddUInt16(header, (ushort)format.ChannelCount);
        AddUInt32(header, (uint)format.SampleRate);
        AddUInt32(header, (uint)(format.SampleRate * format.BlockAlign));
        AddUInt16(header, (ushort)format.BlockAlign);
        AddUInt16(header, (ushort)format.BitsPerSample);
        if (IsExtensible)
        {
            AddUInt16(header, 22);
            AddUInt16(header, (ushort)format.BitsPerSample);
            AddUInt32(header, format.ChannelMask);
            AddUInt16(header, tag);
            header.AddRange(SubFormatGuidTail);
        }
        else if (format.IsFloat)
        {
            AddUInt16(header, 0); // cbSize: non-PCM formats carry the extension size, here empty
        }

        _factOffset = -1;
        if (format.IsFloat)
        {
            // RIFF requires a fact chunk (sample frames) for every non-PCM format.
            header.AddRange("fact"u8.ToArray());
            AddUInt32(header, 4);
            _factOffset = start + header.Count;
            AddUInt32(header, 0);
        }

        header.AddRange("data"u8.ToArray());
        _dataSizeOffset = start + header.Count;
        AddUInt32(header, 0);
        stream.Write(header.ToArray());
        _dataStart = stream.Position;
    }

    public WavFormat Format { get; }

    public bool IsExtensible { get; }

    public long FramesWritten { get; private set; }

    /// <summary>Appends <paramref name="frames"/> frames from <paramref name="channels"/>[c][offset..].</summary>
    public void Write<T>(T[][] channels, int offset, int frames) where T : IFloatingPointIeee754<T>
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.Length < Format.ChannelCount)
            throw new ArgumentException($"Need {Format.ChannelCount} channel arrays, got {channels.Length}.", nameof(channels));
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        for (int c = 0; c < Format.ChannelCount; c++)
        {
            if (channels[c] is null || channels[c].Length < offset + frames)
                throw new ArgumentException($"Channel {c} array is shorter than offset + frames.", nameof(channels));
        }

        if ((FramesWritten + frames) * Format.BlockAlign > MaxDataBytes)
            throw new WavFormatException(WavProblem.Unsupported, "more than 4 GiB of sample data does not fit a RIFF/WAVE file.");

        int block = Format.BlockAlign;
        int sampleBytes = Format.BytesPerSample;
        int done = 0;
        while (done < frames)
        {
            int chunk = Math.Min(frames - done, ChunkBufferFrames);
            var bytes = _buffer.AsSpan(0, chunk * block);
            for (int f = 0; f < chunk; f++)
            {
                var frame = bytes.Slice(f * block, block);
                for (int c = 0; c < Format.ChannelCount; c++)
                    WavSampleCodec.Encode(double.CreateTruncating(channels[c][offset + done + f]), frame.Slice(c * sampleBytes, sampleBytes), Format.SampleFormat);
            }

            _stream.Write(bytes);
            done += chunk;
        }

        FramesWritten += frames;
    }

    /// <summary>Patches the chunk sizes, pads the data chunk to even length, and closes the stream unless left open.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        long dataBytes = FramesWritten * Format.BlockAlign;
        if ((dataBytes & 1) != 0) _stream.WriteByte(0);
        long end = _stream.Position;
        Span<byte> field = stackalloc byte[4];

        BinaryPrimitives.WriteUInt32LittleEndian(field, (uint)(end - (_riffSizeOffset + 4)));
        _stream.Position = _riffSizeOffset;
        _stream.Write(field);
        BinaryPrimitives.WriteUInt32LittleEndian(field, (uint)dataBytes);
        _stream.Position = _dataSizeOffset;
        _stream.Write(field);
        if (_factOffset >= 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(field, (uint)FramesWritten);
            _stream.Position = _factOffset;
            _stream.Write(field);
        }

        _stream.Position = end;
        _stream.Flush();
        if (!_leaveOpen) _stream.Dispose();
    }

    private static void AddUInt16(List<byte> bytes, ushort value)
    {
        bytes.Add((byte)value);
        bytes.Add((byte)(value >> 8));
    }

    private static void AddUInt32(List<byte> bytes, uint value)
    {
        AddUInt16(bytes, (ushort)value);
        AddUInt16(bytes, (ushort)(value >> 16));
    }
}
