using System.Numerics;
using NAudio.Wave;

namespace NPlug.Buffers.Wav;

/// <summary>
/// Reads a WAV file through NAudio's <see cref="WaveFileReader"/> (which parses the RIFF chunks) and hands the samples
/// out planar, as <see cref="float"/> or <see cref="double"/>: PCM 8/16/24/32, IEEE float 32/64, 1–8 channels, plain or
/// <c>WAVE_FORMAT_EXTENSIBLE</c>. What NAudio accepts but we cannot decode (compressed codecs, odd depths), a header that
/// contradicts itself, and a file shorter than its data chunk says all throw <see cref="WavFormatException"/> naming
/// the file and the problem. After construction, <see cref="Read{T}"/> allocates nothing.
/// </summary>
public sealed class WavReader : IDisposable
{
    /// <summary>Frames decoded per pass through the byte buffer.</summary>
    public const int ChunkFrames = 4096;

    private readonly WaveFileReader _reader;
    private readonly byte[] _buffer;
    private readonly Stream? _ownedStream;
    private long _framesRead;

    public WavReader(string path)
        : this(OpenFile(path), path, leaveOpen: false)
    {
    }

    /// <param name="stream">A seekable stream positioned at the RIFF header.</param>
    /// <param name="source">The name used in error messages (a path, or "stream").</param>
    public WavReader(Stream stream, string source = "stream", bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Source = source;
        _ownedStream = leaveOpen ? null : stream; // NAudio leaves a caller's stream open
        try
        {
            if (!stream.CanSeek) throw new WavFormatException(WavProblem.Unsupported, $"{source}: the WAV reader needs a seekable stream.");
            long length = stream.Length;
            try
            {
                _reader = new WaveFileReader(stream);
            }
            catch (EndOfStreamException)
            {
                throw new WavFormatException(WavProblem.Truncated,
                    $"{source}: the file ends inside its RIFF header or the fmt chunk ({length} bytes in all).");
            }
            catch (FormatException e)
            {
                throw new WavFormatException(Classify(e.Message), $"{source}: {e.Message}");
            }

            try
            {
                Format = WavFormat.FromWaveFormat(_reader.WaveFormat, source, out bool extensible);
                IsExtensible = extensible;
                // NAudio positions the stream at the first sample and clamps a data chunk that runs past the end of
                // the file to what is there; the size the header declares says whether the file was cut off.
                long dataStart = stream.Position;
                long declared = DeclaredDataBytes(stream, dataStart);
                long remaining = length - dataStart;
                if (declared > remaining)
                {
                    throw new WavFormatException(WavProblem.Truncated,
                        $"{source}: data chunk declares {declared} bytes but only {remaining} remain in the file " +
                        $"({remaining / Format.BlockAlign} of {declared / Format.BlockAlign} frames).");
                }

                stream.Position = dataStart;
                FrameCount = _reader.Length / Format.BlockAlign;
            }
            catch
            {
                _reader.Dispose();
                throw;
            }
        }
        catch
        {
            if (!leaveOpen) stream.Dispose();
            throw;
        }

        _buffer = new byte[ChunkFrames * Format.BlockAlign];
    }

    public WavFormat Format { get; }

    /// <summary>Whole frames in the data chunk.</summary>
    public long FrameCount { get; }

    /// <summary>Whether the file used a <c>WAVE_FORMAT_EXTENSIBLE</c> header.</summary>
    public bool IsExtensible { get; }

    /// <summary>The file name (or "stream") that error messages name.</summary>
    public string Source { get; }

    public long FramesRemaining => FrameCount - _framesRead;

    /// <summary>
    /// Reads up to <paramref name="frames"/> frames into <paramref name="channels"/>[c][offset..], one array per channel.
    /// Returns the frames read, 0 at the end of the data. Allocation-free.
    /// </summary>
    public int Read<T>(T[][] channels, int offset, int frames) where T : unmanaged, IFloatingPointIeee754<T>
    {
        PlanarChecks.Validate(channels, Format.ChannelCount, offset, frames);
        int total = (int)Math.Min(frames, FramesRemaining);
        int block = Format.BlockAlign;
        int done = 0;
        while (done < total)
        {
            int chunk = Math.Min(total - done, ChunkFrames);
            var bytes = _buffer.AsSpan(0, chunk * block);
            int got = 0;
            while (got < bytes.Length)
            {
                int n = _reader.Read(bytes[got..]);
                if (n == 0) break;
                got += n;
            }

            if (got < bytes.Length)
            {
                throw new WavFormatException(WavProblem.Truncated,
                    $"{Source}: sample data ends at frame {_framesRead + done + got / block} of {FrameCount}.");
            }

            WavSampleCodec.Decode(bytes, Format, channels, offset + done, chunk);
            done += chunk;
        }

        _framesRead += done;
        return done;
    }

    /// <summary>Reads every remaining frame into new planar arrays.</summary>
    public T[][] ReadToEnd<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (FramesRemaining > Array.MaxLength)
            throw new WavFormatException(WavProblem.Unsupported, $"{Source}: {FramesRemaining} frames do not fit in one array.");
        int frames = (int)FramesRemaining;
        var channels = new T[Format.ChannelCount][];
        for (int c = 0; c < channels.Length; c++) channels[c] = new T[frames];
        Read(channels, 0, frames);
        return channels;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _ownedStream?.Dispose();
    }

    private static FileStream OpenFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return File.OpenRead(path);
    }

    /// <summary>The size field of the data chunk whose samples start at <paramref name="dataStart"/> (0xFFFFFFFF: "to the end").</summary>
    private static long DeclaredDataBytes(Stream stream, long dataStart)
    {
        if (dataStart < 8) return 0;
        Span<byte> header = stackalloc byte[8];
        stream.Position = dataStart - 8;
        stream.ReadExactly(header);
        if (!header[..4].SequenceEqual("data"u8)) return 0; // RF64 and friends: trust NAudio's length
        uint size = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        return size == uint.MaxValue ? 0 : size;
    }

    private static WavProblem Classify(string naudioMessage) =>
        naudioMessage.Contains("RIFF", StringComparison.OrdinalIgnoreCase) || naudioMessage.Contains("WAVE header", StringComparison.OrdinalIgnoreCase)
            ? WavProblem.NotWave
            : naudioMessage.Contains("chunk found", StringComparison.OrdinalIgnoreCase) ? WavProblem.MissingChunk : WavProblem.InvalidHeader;
}

internal static class PlanarChecks
{
    public static void Validate<T>(T[][] channels, int channelCount, int offset, int frames)
    {
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.Length < channelCount)
            throw new ArgumentException($"Need {channelCount} channel arrays, got {channels.Length}.", nameof(channels));
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        for (int c = 0; c < channelCount; c++)
        {
            if (channels[c] is null || channels[c].Length < offset + frames)
                throw new ArgumentException($"Channel {c} array is shorter than offset + frames.", nameof(channels));
        }
    }
}
