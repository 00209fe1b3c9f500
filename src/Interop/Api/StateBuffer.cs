using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Interop.Api;

/// <summary>
/// One instance's preallocated state buffer (sized once, from the model's bound, at initialize) and the stream moves
/// around it: fill from the host's stream, hand the bytes to the span hook, leave the stream just past the bytes the
/// hook consumed (so data a host appends after a plugin's state stays readable). A second buffer is made only when two
/// state calls of one instance overlap on two threads.
/// </summary>
internal sealed class StateBuffer(int capacity)
{
    private byte[]? _spare = new byte[capacity];

    public int Capacity { get; } = capacity;

    public byte[] Rent() => Interlocked.Exchange(ref _spare, null) ?? new byte[Capacity];

    public void Return(byte[] buffer) => Volatile.Write(ref _spare, buffer);

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; <paramref name="start"/> is the
    /// position before (-1 when the stream cannot seek).</summary>
    public static int Fill(Stream stream, Span<byte> buffer, out long start)
    {
        start = stream.CanSeek ? stream.Position : -1;
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n <= 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>Puts the stream just past the consumed bytes (it was read up to <paramref name="read"/>).</summary>
    public static void Reposition(Stream stream, long start, int read, int consumed)
    {
        if (start < 0 || consumed == read) return;
        stream.Seek(start + Math.Clamp(consumed, 0, read), SeekOrigin.Begin);
    }

    public static int ResultOf(bool ok) => ok ? TResult.ResultOk : TResult.ResultFalse;
}
