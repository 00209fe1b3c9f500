using System.Buffers.Binary;
using NPlug.Buffers.Plugin.Parameters;

namespace NPlug.Buffers.Plugin.State;

/// <summary>
/// The versioned state blob shared by processor (<c>getState/setState</c>) and controller (<c>setComponentState</c>).
/// <code>
/// offset  size  field
///  0       4    magic "NPBS"
///  4       2    format version (1), little-endian
///  6       2    class tag (which plugin class wrote it)
///  8       4    payload length L
/// 12       L    payload: u32 count, then count × (u32 parameter id, f64 normalized value)
/// 12+L     4    CRC-32 of bytes [0, 12+L)
/// </code>
/// Decoding is all-or-nothing: every check runs against a scratch copy and the caller's values change only when the
/// whole blob is valid. Parameters missing from the blob take their defaults (a blob from an older layout still
/// loads); unknown ids, duplicates, non-finite or out-of-range values, a wrong class, a bad length or checksum
/// refuse the whole blob.
/// </summary>
public static class PluginStateFormat
{
    public const uint Magic = 0x5342504E; // "NPBS" read as a little-endian u32
    public const ushort CurrentVersion = 1;
    public const int HeaderSize = 12;
    public const int TrailerSize = 4;
    private const int EntrySize = 12;

    /// <summary>Total size of a blob holding <paramref name="parameterCount"/> entries.</summary>
    public static int SizeFor(int parameterCount) => HeaderSize + 4 + parameterCount * EntrySize + TrailerSize;

    /// <summary>Largest blob a layout can produce; readers never need to read more than this.</summary>
    public static int MaxSize(ParameterLayout layout) => SizeFor(layout.Count);

    /// <summary>Writes every writable (non read-only) parameter; returns the number of bytes written.</summary>
    public static int Encode(ParameterLayout layout, ushort classTag, ReadOnlySpan<double> values, Span<byte> destination)
    {
        int count = 0;
        for (int i = 0; i < layout.Count; i++) if (!layout[i].IsReadOnly) count++;
        int size = SizeFor(count);
        if (destination.Length < size) throw new ArgumentException("Destination too small.", nameof(destination));

        var d = destination[..size];
        BinaryPrimitives.WriteUInt32LittleEndian(d, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(d[4..], CurrentVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(d[6..], classTag);
        BinaryPrimitives.WriteUInt32LittleEndian(d[8..], (uint)(4 + count * EntrySize));
        BinaryPrimitives.WriteUInt32LittleEndian(d[12..], (uint)count);
        int at = 16;
        for (int i = 0; i < layout.Count; i++)
        {
            if (layout[i].IsReadOnly) continue;
            BinaryPrimitives.WriteUInt32LittleEndian(d[at..], layout[i].Id);
            BinaryPrimitives.WriteDoubleLittleEndian(d[(at + 4)..], layout[i].SanitizeNormalized(values[i]));
            at += EntrySize;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(d[at..], Crc32.Compute(d[..at]));
        return size;
    }

    public static byte[] Encode(ParameterLayout layout, ushort classTag, ReadOnlySpan<double> values)
    {
        var buffer = new byte[MaxSize(layout)];
        int n = Encode(layout, classTag, values, buffer);
        return buffer.AsSpan(0, n).ToArray();
    }

    /// <summary>
    /// Reads the total blob length from the first <see cref="HeaderSize"/> bytes so a stream reader knows how much
    /// more to read. False if the header is not ours or announces more than <paramref name="maxSize"/>.
    /// </summary>
    public static bool TryReadTotalLength(ReadOnlySpan<byte> header, int maxSize, out int totalLength)
    {
        totalLength = 0;
        if (header.Length < HeaderSize) return false;
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic) return false;
        uint payload = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (payload > (uint)maxSize) return false;
        long total = HeaderSize + (long)payload + TrailerSize;
        if (total > maxSize) return false;
        totalLength = (int)total;
        return true;
    }

    /// <summary>
    /// Validates <paramref name="blob"/> (exactly one blob, no trailing bytes) and, only if it is valid, writes the
    /// decoded values into <paramref name="values"/> (layout order). Returns false and leaves values untouched otherwise.
    /// </summary>
    public static bool TryDecode(ParameterLayout layout, ushort classTag, ReadOnlySpan<byte> blob, Span<double> values)
    {
        if (values.Length < layout.Count) return false;
        if (!TryReadTotalLength(blob, MaxSize(layout), out int total) || total != blob.Length) return false;
        if (BinaryPrimitives.ReadUInt16LittleEndian(blob[4..]) is 0 or > CurrentVersion) return false;
        if (BinaryPrimitives.ReadUInt16LittleEndian(blob[6..]) != classTag) return false;
        int payloadLength = total - HeaderSize - TrailerSize;
        if (payloadLength < 4) return false;
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(blob[(total - TrailerSize)..]);
        if (Crc32.Compute(blob[..(total - TrailerSize)]) != crc) return false;

        uint count = BinaryPrimitives.ReadUInt32LittleEndian(blob[HeaderSize..]);
        if (count > (uint)layout.Count || 4 + count * EntrySize != payloadLength) return false;

        Span<double> scratch = layout.Count <= 256 ? stackalloc double[layout.Count] : new double[layout.Count];
        Span<bool> seen = layout.Count <= 256 ? stackalloc bool[layout.Count] : new bool[layout.Count];
        seen.Clear();
        for (int i = 0; i < layout.Count; i++) scratch[i] = layout[i].DefaultNormalized;

        int at = HeaderSize + 4;
        for (int e = 0; e < count; e++, at += EntrySize)
        {
            uint id = BinaryPrimitives.ReadUInt32LittleEndian(blob[at..]);
            double value = BinaryPrimitives.ReadDoubleLittleEndian(blob[(at + 4)..]);
            if (!layout.TryGetIndex(id, out int index) || seen[index] || layout[index].IsReadOnly) return false;
            if (!double.IsFinite(value) || value < 0 || value > 1) return false;
            seen[index] = true;
            scratch[index] = value;
        }

        // Read-only (output) parameters are not part of the state; keep whatever the caller has.
        for (int i = 0; i < layout.Count; i++) if (!layout[i].IsReadOnly) values[i] = scratch[i];
        return true;
    }
}
