using System.Buffers.Binary;
using System.Numerics;

namespace NPlug.Buffers.Wav;

/// <summary>
/// Reads a RIFF/WAVE stream: PCM 8/16/24/32, IEEE float 32/64, 1–8 channels, plain or
/// <c>WAVE_FORMAT_EXTENSIBLE</c> headers. Samples come out planar, as <see cref="float"/> or <see cref="double"/>.
/// Anything malformed or unsupported throws <see cref="WavFormatException"/> naming the problem.
/// </summary>
public sealed class WavReader : IDisposable
{
    private const ushort FormatPcm = 1;
    private const ushort FormatIeeeFloat = 3;
    private const ushort FormatExtensible = 0xFFFE;
    private const int ChunkBufferFrames = 4096;

    // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT share this tail after their 16-bit format tag.
    private static readonly byte[] SubFormatGuidTail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _buffer;
    private long _framesRead;

    public WavReader(string path)
        : this(File.OpenRead(path), leaveOpen: false)
    {
    }

    public WavReader(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
        try
        {
            (Format, FrameCount, IsExtensible) = ReadHeader(stream);
        }
        catch
        {
            if (!leaveOpen) stream.Dispose();
            throw;
        }

        _buffer = new byte[ChunkBufferFrames * Format.BlockAlign];
    }

    public WavFormat Format { get; }

    /// <summary>Whole frames in the data chunk.</summary>
    public long FrameCount { get; }

    /// <summary>Whether the file used a <c>WAVE_FORMAT_EXTENSIBLE</c> header.</summary>
    public bool IsExtensible { get; }

    public long FramesRemaining => FrameCount - _framesRead;

    /// <summary>
    /// Reads up to <paramref name="frames"/> frames into <paramref name="channels"/>[c][offset..], one array per
    /// channel. Returns the frames read, 0 at the end of the data.
    /// </summary>
    public int Read<T>(T[][] channels, int offset, int frames) where T : IFloatingPointIeee754<T>
    {
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

        int total = (int)Math.Min(frames, FramesRemaining);
        int done = 0;
        int block = Format.BlockAlign;
        int sampleBytes = Format.BytesPerSample;
        while (done < total)
        {
            int chunk = Math.Min(total - done, ChunkBufferFrames);
            var bytes = _buffer.AsSpan(0, chunk * block);
            ReadExactly(_stream, bytes, $"sample data at frame {_framesRead + done} of {FrameCount}");
            for (int f = 0; f < chunk; f++)
            {
                var frame = bytes.Slice(f * block, block);
                for (int c = 0; c < Format.ChannelCount; c++)
                    channels[c][offset + done + f] = T.CreateTruncating(WavSampleCodec.Decode(frame.Slice(c * sampleBytes, sampleBytes), Format.SampleFormat));
            }

            done += chunk;
        }

        _framesRead += done;
        return done;
    }

    /// <summary>Reads every remaining frame into new planar arrays.</summary>
    public T[][] ReadToEnd<T>() where T : IFloatingPointIeee754<T>
    {
        if (FramesRemaining > Array.MaxLength) throw new WavFormatException(WavProblem.Unsupported, $"{FramesRemaining} frames do not fit in one array.");
        int frames = (int)FramesRemaining;
        var channels = new T[Format.ChannelCount][];
        for (int c = 0; c < channels.Length; c++) channels[c] = new T[frames];
        int read = Read(channels, 0, frames);
        if (read != frames) throw new WavFormatException(WavProblem.Truncated, $"expected {frames} frames, read {read}.");
        return channels;
    }

    public void Dispose()
    {
        if (!_leaveOpen) _stream.Dispose();
    }

    private static (WavFormat Format, long Frames, bool Extensible) ReadHeader(Stream stream)
    {
        Span<byte> header = stackalloc byte[12];
        ReadExactly(stream, header, "RIFF header (12 bytes)");
        if (!header[..4].SequenceEqual("RIFF"u8))
        {
            if (header[..4].SequenceEqual("RF64"u8))
                throw new WavFormatException(WavProblem.Unsupported, "RF64 (64-bit RIFF) files are not supported.");
            throw new WavFormatException(WavProblem.NotWave, $"expected 'RIFF' at offset 0, found '{Ascii(header[..4])}'.");
        }

        if (!header[8..12].SequenceEqual("WAVE"u8))
            throw new WavFormatException(WavProblem.NotWave, $"RIFF form type is '{Ascii(header[8..12])}', not 'WAVE'.");

        WavFormat? format = null;
        bool extensible = false;
        long dataStart = -1;
        long dataBytes = 0;
        Span<byte> chunkHeader = stackalloc byte[8];
        while (true)
        {
            int got = ReadUpTo(stream, chunkHeader);
            if (got == 0) break;
            if (got < 8) throw new WavFormatException(WavProblem.Truncated, $"chunk header cut off after {got} of 8 bytes.");
            string id = Ascii(chunkHeader[..4]);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(chunkHeader[4..]);

            if (id == "fmt ")
            {
                (format, extensible) = ReadFmt(stream, size);
                SkipPad(stream, size);
                if (dataStart >= 0) break;
            }
            else if (id == "data")
            {
                long remaining = stream.CanSeek ? stream.Length - stream.Position : long.MaxValue;
                // Streamed writers that could not seek back leave 0xFFFFFFFF: the data runs to the end.
                dataBytes = size == uint.MaxValue && stream.CanSeek ? remaining : size;
                if (dataBytes > remaining)
                    throw new WavFormatException(WavProblem.Truncated,
                        $"data chunk declares {dataBytes} bytes but only {remaining} remain in the file.");
                if (format is not null) { dataStart = stream.CanSeek ? stream.Position : 0; break; }
                if (!stream.CanSeek)
                    throw new WavFormatException(WavProblem.MissingChunk, "data chunk precedes the fmt chunk in a non-seekable stream.");
                dataStart = stream.Position;
                Skip(stream, dataBytes + (dataBytes & 1), "data chunk");
            }
            else
            {
                Skip(stream, size + (size & 1L), $"'{id}' chunk");
            }
        }

        if (format is null) throw new WavFormatException(WavProblem.MissingChunk, "no 'fmt ' chunk.");
        if (dataStart < 0) throw new WavFormatException(WavProblem.MissingChunk, "no 'data' chunk.");
        if (stream.CanSeek) stream.Position = dataStart;
        return (format.Value, dataBytes / format.Value.BlockAlign, extensible);
    }

    private static (WavFormat Format, bool Extensible) ReadFmt(Stream stream, uint size)
    {
        if (size < 16) throw new WavFormatException(WavProblem.InvalidHeader, $"fmt chunk is {size} bytes; at least 16 are required.");
        if (size > 1024) throw new WavFormatException(WavProblem.InvalidHeader, $"fmt chunk is {size} bytes; that is not a WAVE format header.");
        Span<byte> fmt = stackalloc byte[(int)size];
        ReadExactly(stream, fmt, $"fmt chunk ({size} bytes)");

        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        uint sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        uint mask = 0;
        bool extensible = tag == FormatExtensible;
        if (extensible)
        {
            if (size < 40) throw new WavFormatException(WavProblem.InvalidHeader, $"WAVE_FORMAT_EXTENSIBLE fmt chunk is {size} bytes; 40 are required.");
            int validBits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[18..]);
            if (validBits > bits) throw new WavFormatException(WavProblem.InvalidHeader, $"{validBits} valid bits in a {bits}-bit container.");
            mask = BinaryPrimitives.ReadUInt32LittleEndian(fmt[20..]);
            var guid = fmt.Slice(24, 16);
            if (!guid[2..].SequenceEqual(SubFormatGuidTail))
                throw new WavFormatException(WavProblem.Unsupported, $"extensible sub-format {new Guid(guid)} is neither PCM nor IEEE float.");
            tag = BinaryPrimitives.ReadUInt16LittleEndian(guid);
        }

        WavSampleFormat sampleFormat = (tag, bits) switch
        {
            (FormatPcm, 8) => WavSampleFormat.Pcm8,
            (FormatPcm, 16) => WavSampleFormat.Pcm16,
            (FormatPcm, 24) => WavSampleFormat.Pcm24,
            (FormatPcm, 32) => WavSampleFormat.Pcm32,
            (FormatIeeeFloat, 32) => WavSampleFormat.Float32,
            (FormatIeeeFloat, 64) => WavSampleFormat.Float64,
            (FormatPcm, _) => throw new WavFormatException(WavProblem.Unsupported, $"{bits}-bit PCM (supported: 8, 16, 24, 32)."),
            (FormatIeeeFloat, _) => throw new WavFormatException(WavProblem.Unsupported, $"{bits}-bit IEEE float (supported: 32, 64)."),
            _ => throw new WavFormatException(WavProblem.Unsupported, $"format tag 0x{tag:X4} (compressed or unknown; supported: PCM, IEEE float, extensible)."),
        };

        if (channels == 0) throw new WavFormatException(WavProblem.InvalidHeader, "the fmt chunk declares 0 channels.");
        if (channels > WavFormat.MaxChannels)
            throw new WavFormatException(WavProblem.Unsupported, $"{channels} channels (supported: 1..{WavFormat.MaxChannels}).");
        if (sampleRate == 0 || sampleRate > int.MaxValue)
            throw new WavFormatException(WavProblem.InvalidHeader, $"sample rate {sampleRate}.");
        var format = new WavFormat((int)sampleRate, channels, sampleFormat, mask);
        if (blockAlign != format.BlockAlign)
            throw new WavFormatException(WavProblem.InvalidHeader,
                $"block align {blockAlign} does not match {channels} channels x {format.BytesPerSample} bytes.");
        return (format, extensible);
    }

    private static void SkipPad(Stream stream, uint size)
    {
        if ((size & 1) != 0) Skip(stream, 1, "fmt chunk pad byte");
    }

    private static void Skip(Stream stream, long bytes, string what)
    {
        if (bytes == 0) return;
        if (stream.CanSeek)
        {
            if (stream.Position + bytes > stream.Length)
            {
                // A missing pad byte after the final chunk is a common writer slip; tolerate exactly that.
                if (stream.Position + bytes - 1 == stream.Length && (bytes & 1) == 1 && what != "fmt chunk pad byte")
                {
                    stream.Position = stream.Length;
                    return;
                }

                throw new WavFormatException(WavProblem.Truncated, $"{what} needs {bytes} bytes but only {stream.Length - stream.Position} remain.");
            }

            stream.Position += bytes;
            return;
        }

        Span<byte> sink = stackalloc byte[512];
        while (bytes > 0)
        {
            int n = ReadUpTo(stream, sink[..(int)Math.Min(bytes, sink.Length)]);
            if (n == 0) throw new WavFormatException(WavProblem.Truncated, $"{what} ends early.");
            bytes -= n;
        }
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string what)
    {
        int got = ReadUpTo(stream, buffer);
        if (got < buffer.Length)
            throw new WavFormatException(WavProblem.Truncated, $"{what} cut off after {got} of {buffer.Length} bytes.");
    }

    private static int ReadUpTo(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }

        return total;
    }

    private static string Ascii(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) chars[i] = bytes[i] is >= 32 and < 127 ? (char)bytes[i] : '?';
        return new string(chars);
    }
}
