namespace NPlug.Buffers.Interop.Abi;

/// <summary>
/// A <see cref="Stream"/> over a host <c>IBStream</c> (borrowed: valid only during the state call that
/// passed it). Lets plugin code read and write state with ordinary stream APIs.
/// </summary>
/// <remarks>
/// The plugin-side objects keep one unbound adapter per instance and <see cref="Bind"/> it for the length of each state
/// call (see <c>PluginPartObject.RentStream</c>), so a state call allocates no adapter. Reads, writes and seeks go
/// straight to the host's vtable through spans: nothing here allocates unless the host reports a failure.
/// </remarks>
public sealed unsafe class HostStream : Stream
{
    private void* _stream;

    public HostStream(void* stream)
    {
        if (stream == null) throw new ArgumentNullException(nameof(stream));
        _stream = stream;
    }

    /// <summary>An unbound adapter, for <see cref="Bind"/>.</summary>
    public HostStream() { }

    /// <summary>Points the adapter at a (borrowed) host stream for the length of one call.</summary>
    public void Bind(void* stream)
    {
        if (stream == null) throw new ArgumentNullException(nameof(stream));
        _stream = stream;
    }

    /// <summary>Forgets the host stream (never released: it is borrowed).</summary>
    public void Unbind() => _stream = null;

    public bool IsBound => _stream != null;

    private IBStreamVtbl* V => Vtbl.Of<IBStreamVtbl>(Ptr);

    private void* Ptr => _stream != null ? _stream : throw new ObjectDisposedException(nameof(HostStream));

    public override bool CanRead => _stream != null;
    public override bool CanSeek => _stream != null;
    public override bool CanWrite => _stream != null;

    public override long Length
    {
        get
        {
            long pos = Position;
            long end = Seek(0, SeekOrigin.End);
            Seek(pos, SeekOrigin.Begin);
            return end;
        }
    }

    public override long Position
    {
        get
        {
            long pos = 0;
            int r = V->Tell(Ptr, &pos);
            if (r != TResult.ResultOk) throw new IOException($"IBStream::tell failed ({TResult.NameOf(r)}).");
            return pos;
        }
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        int read = 0;
        int r;
        fixed (byte* p = buffer) r = V->Read(Ptr, p, buffer.Length, &read);
        if (r != TResult.ResultOk) throw new IOException($"IBStream::read failed ({TResult.NameOf(r)}).");
        return Math.Clamp(read, 0, buffer.Length);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            int written = 0;
            int r;
            fixed (byte* p = buffer) r = V->Write(Ptr, p, buffer.Length, &written);
            if (r != TResult.ResultOk || written <= 0) throw new IOException($"IBStream::write failed ({TResult.NameOf(r)}).");
            buffer = buffer[Math.Min(written, buffer.Length)..];
        }
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        int mode = origin switch
        {
            SeekOrigin.Begin => StreamSeekModes.Set,
            SeekOrigin.Current => StreamSeekModes.Cur,
            _ => StreamSeekModes.End,
        };
        long result = 0;
        int r = V->Seek(Ptr, offset, mode, &result);
        if (r != TResult.ResultOk) throw new IOException($"IBStream::seek failed ({TResult.NameOf(r)}).");
        return result;
    }

    public override void Flush() { }

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        _stream = null; // borrowed: never released
        base.Dispose(disposing);
    }
}
