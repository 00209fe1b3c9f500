using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Hosting.Com;

/// <summary>
/// A growable in-memory <c>IBStream</c> (plus <c>ISizeableStream</c>) used for component and controller state.
/// Reads past the end return fewer bytes (kResultOk with the count), as the SDK's MemoryStream does.
/// </summary>
public sealed unsafe class HostBStream : ComObject
{
    private byte[] _buffer;
    private long _length;
    private long _position;

    public HostBStream(int capacity = 1024)
        : base(s_interfaces)
    {
        _buffer = new byte[Math.Max(16, capacity)];
    }

    public HostBStream(ReadOnlySpan<byte> content) : this(content.Length)
    {
        content.CopyTo(_buffer);
        _length = content.Length;
    }

    public long Length => _length;

    public long Position { get => _position; set => _position = Math.Clamp(value, 0, _length); }

    public byte[] ToArray() => _buffer.AsSpan(0, (int)_length).ToArray();

    public void Rewind() => _position = 0;

    private int Read(void* buffer, int numBytes, int* numBytesRead)
    {
        if (numBytesRead != null) *numBytesRead = 0;
        if (numBytes < 0 || (buffer == null && numBytes > 0)) return TResult.InvalidArgument;
        long available = Math.Max(0, _length - _position);
        int count = (int)Math.Min(available, numBytes);
        _buffer.AsSpan((int)_position, count).CopyTo(new Span<byte>(buffer, count));
        _position += count;
        if (numBytesRead != null) *numBytesRead = count;
        return TResult.ResultOk;
    }

    private int Write(void* buffer, int numBytes, int* numBytesWritten)
    {
        if (numBytesWritten != null) *numBytesWritten = 0;
        if (numBytes < 0 || (buffer == null && numBytes > 0)) return TResult.InvalidArgument;
        long end = _position + numBytes;
        if (end > int.MaxValue) return TResult.OutOfMemory;
        EnsureCapacity(end);
        new ReadOnlySpan<byte>(buffer, numBytes).CopyTo(_buffer.AsSpan((int)_position));
        _position = end;
        if (end > _length) _length = end;
        if (numBytesWritten != null) *numBytesWritten = numBytes;
        return TResult.ResultOk;
    }

    private int Seek(long pos, int mode, long* result)
    {
        long target = mode switch
        {
            0 => pos,
            1 => _position + pos,
            2 => _length + pos,
            _ => -1,
        };
        if (mode is < 0 or > 2) return TResult.InvalidArgument;
        if (target < 0) return TResult.InvalidArgument;
        // Seeking past the end is allowed; a later write fills the gap with zeros.
        if (target > int.MaxValue) return TResult.InvalidArgument;
        EnsureCapacity(target);
        if (target > _length)
        {
            Array.Clear(_buffer, (int)_length, (int)(target - _length));
            _length = target;
        }
        _position = target;
        if (result != null) *result = _position;
        return TResult.ResultOk;
    }

    /// <summary>tell and getStreamSize: one position-like value out through a pointer the caller must supply.</summary>
    private static int Report(long* destination, long value)
    {
        if (destination == null) return TResult.InvalidArgument;
        *destination = value;
        return TResult.ResultOk;
    }

    private int SetSize(long size)
    {
        if (size < 0 || size > int.MaxValue) return TResult.InvalidArgument;
        EnsureCapacity(size);
        if (size > _length) Array.Clear(_buffer, (int)_length, (int)(size - _length));
        _length = size;
        if (_position > _length) _position = _length;
        return TResult.ResultOk;
    }

    private void EnsureCapacity(long needed)
    {
        if (needed <= _buffer.Length) return;
        long size = Math.Max(needed, (long)_buffer.Length * 2);
        Array.Resize(ref _buffer, (int)Math.Min(size, int.MaxValue));
    }

    // ---- IBStream, ISizeableStream ------------------------------------------------------------------

    private static readonly ComInterface[] s_interfaces =
    [
        new(CreateVtable(new IBStreamVtbl { Read = &ReadThunk, Write = &WriteThunk, Seek = &SeekThunk, Tell = &TellThunk }), Iids.IBStream),
        new(CreateVtable(new ISizeableStreamVtbl { GetStreamSize = &GetStreamSizeThunk, SetStreamSize = &SetStreamSizeThunk }), Iids.ISizeableStream),
    ];

    [UnmanagedCallersOnly]
    private static int ReadThunk(void* self, void* buffer, int numBytes, int* numBytesRead)
    {
        try { return TryFromThis<HostBStream>(self)?.Read(buffer, numBytes, numBytesRead) ?? TResult.InvalidArgument; }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int WriteThunk(void* self, void* buffer, int numBytes, int* numBytesWritten)
    {
        try { return TryFromThis<HostBStream>(self)?.Write(buffer, numBytes, numBytesWritten) ?? TResult.InvalidArgument; }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int SeekThunk(void* self, long pos, int mode, long* result)
    {
        try { return TryFromThis<HostBStream>(self)?.Seek(pos, mode, result) ?? TResult.InvalidArgument; }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int TellThunk(void* self, long* pos)
    {
        try { return TryFromThis<HostBStream>(self) is { } s ? Report(pos, s._position) : TResult.InvalidArgument; }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int GetStreamSizeThunk(void* self, long* size)
    {
        try { return TryFromThis<HostBStream>(self) is { } s ? Report(size, s._length) : TResult.InvalidArgument; }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int SetStreamSizeThunk(void* self, long size)
    {
        try { return TryFromThis<HostBStream>(self)?.SetSize(size) ?? TResult.InvalidArgument; }
        catch (Exception e) { return TResult.FromException(e); }
    }
}
