using System.Numerics;
using NAudio.Wave;

namespace NPlug.Buffers.Wav;

/// <summary>
/// Writes planar <see cref="float"/> or <see cref="double"/> samples through NAudio's <see cref="WaveFileWriter"/>
/// (which writes the <c>fmt </c>, <c>fact</c> and <c>data</c> chunks and patches their sizes). A writer opened on a
/// path writes to a temporary file beside it and renames it into place on <see cref="Commit"/>: a failure, or a
/// <see cref="Dispose"/> without a commit, removes the temporary file and leaves nothing at the destination.
/// After construction, <see cref="Write{T}"/> allocates nothing.
/// </summary>
public sealed class WavWriter : IDisposable
{
    private const long MaxDataBytes = uint.MaxValue - 64; // keeps the RIFF size field in range

    private readonly WaveFileWriter _writer;
    private readonly byte[] _buffer;
    private readonly Stream? _ownedStream;
    private readonly string? _finalPath;
    private readonly string? _tempPath;
    private bool _closed;

    /// <summary>Writes <paramref name="path"/> atomically: a temporary file until <see cref="Commit"/>.</summary>
    public WavWriter(string path, WavFormat format, WavHeaderStyle style = WavHeaderStyle.Auto)
    {
        ArgumentNullException.ThrowIfNull(path);
        CheckFormat(format);
        _finalPath = Path.GetFullPath(path);
        _tempPath = Path.Combine(Path.GetDirectoryName(_finalPath)!, $".{Path.GetFileName(_finalPath)}.{Guid.NewGuid():N}.tmp");
        Format = format;
        IsExtensible = Extensible(format, style);
        var stream = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        _ownedStream = stream;
        try
        {
            _writer = new WaveFileWriter(stream, format.ToWaveFormat(IsExtensible));
        }
        catch
        {
            stream.Dispose();
            File.Delete(_tempPath);
            throw;
        }

        _buffer = new byte[WavReader.ChunkFrames * format.BlockAlign];
    }

    /// <summary>Writes into a seekable stream the caller owns (no temporary file; <see cref="Commit"/> finishes the header).</summary>
    public WavWriter(Stream stream, WavFormat format, WavHeaderStyle style = WavHeaderStyle.Auto, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || !stream.CanWrite) throw new ArgumentException("The WAV writer needs a seekable, writable stream.", nameof(stream));
        CheckFormat(format);
        Format = format;
        IsExtensible = Extensible(format, style);
        _ownedStream = leaveOpen ? null : stream; // NAudio leaves a caller's stream open
        _writer = new WaveFileWriter(stream, format.ToWaveFormat(IsExtensible));
        _buffer = new byte[WavReader.ChunkFrames * format.BlockAlign];
    }

    public WavFormat Format { get; }

    public bool IsExtensible { get; }

    public long FramesWritten { get; private set; }

    /// <summary>Appends <paramref name="frames"/> frames from <paramref name="channels"/>[c][offset..]. Allocation-free.</summary>
    public void Write<T>(T[][] channels, int offset, int frames) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        PlanarChecks.Validate(channels, Format.ChannelCount, offset, frames);
        if ((FramesWritten + frames) * Format.BlockAlign > MaxDataBytes)
            throw new WavFormatException(WavProblem.Unsupported, "more than 4 GiB of sample data does not fit a RIFF/WAVE file.");

        int block = Format.BlockAlign;
        int done = 0;
        while (done < frames)
        {
            int chunk = Math.Min(frames - done, WavReader.ChunkFrames);
            var bytes = _buffer.AsSpan(0, chunk * block);
            WavSampleCodec.Encode(channels, offset + done, chunk, Format, bytes);
            _writer.Write(bytes);
            done += chunk;
        }

        FramesWritten += frames;
    }

    /// <summary>Finishes the header and, for a path, renames the temporary file onto the destination.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        _closed = true;
        try
        {
            _writer.Dispose(); // patches the RIFF, fact and data sizes
            _ownedStream?.Dispose();
            if (_tempPath != null) File.Move(_tempPath, _finalPath!, overwrite: true);
        }
        catch
        {
            _ownedStream?.Dispose();
            if (_tempPath != null) TryDelete(_tempPath);
            throw;
        }
    }

    /// <summary>Without a <see cref="Commit"/>: abandons the file (a path's temporary file is deleted).</summary>
    public void Dispose()
    {
        if (_closed) return;
        _closed = true;
        _writer.Dispose();
        _ownedStream?.Dispose();
        if (_tempPath != null) TryDelete(_tempPath);
    }

    private static bool Extensible(WavFormat format, WavHeaderStyle style) =>
        style == WavHeaderStyle.Extensible || (style == WavHeaderStyle.Auto && format.ChannelCount > 2);

    private static void CheckFormat(WavFormat format)
    {
        if (format.ChannelCount == 0) throw new ArgumentException("Use a constructed WavFormat, not default.", nameof(format));
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
