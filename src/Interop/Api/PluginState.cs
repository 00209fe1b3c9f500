using System.Buffers.Binary;

namespace NPlug.Buffers.Interop.Api;

/// <summary>
/// The versioned state blob every model-based plugin writes (<c>getState</c>) and reads (<c>setState</c>, and the
/// controller's <c>setComponentState</c>).
/// <code>
/// offset  size  field
///  0       4    magic "NPBS"
///  4       2    format version (1: values only; 2: values + plugin section), little-endian
///  6       2    class tag (which plugin class wrote it)
///  8       4    payload length L
/// 12       L    payload: u32 count, count × (u32 parameter id, f64 normalized value)
///               [version 2: u32 section length S, S bytes owned by the plugin]
/// 12+L     4    CRC-32 (IEEE) of bytes [0, 12+L)
/// </code>
/// Decoding is all-or-nothing: every check runs before anything changes, and the caller's values change only when
/// the whole blob is valid. Parameters missing from the blob take their defaults (a blob from an older model still
/// loads); unknown ids, duplicates, non-finite or out-of-range values, a wrong class, a bad length or checksum refuse
/// the whole blob. A plugin without a section writes version 1, byte for byte what the first release wrote.
/// </summary>
public static class PluginStateFormat
{
    public const uint Magic = 0x5342504E; // "NPBS" read as a little-endian u32
    public const ushort ValuesOnlyVersion = 1;
    public const ushort SectionVersion = 2;
    public const int HeaderSize = 12;
    public const int TrailerSize = 4;
    private const int EntrySize = 12;

    /// <summary>Total size of a blob holding <paramref name="parameterCount"/> entries and a section of <paramref name="sectionBytes"/> (-1: none).</summary>
    public static int SizeFor(int parameterCount, int sectionBytes = -1) =>
        HeaderSize + 4 + parameterCount * EntrySize + (sectionBytes >= 0 ? 4 + sectionBytes : 0) + TrailerSize;

    /// <summary>Largest blob a parameter list (and a section of at most <paramref name="maxSectionBytes"/>) can produce.</summary>
    public static int MaxSize(ParameterList parameters, int maxSectionBytes = -1) => SizeFor(parameters.Count, maxSectionBytes);

    /// <summary>
    /// Writes every writable (non read-only) parameter and, when <paramref name="section"/> is not null, the plugin's
    /// section; returns the number of bytes written, or -1 when <paramref name="destination"/> is too small.
    /// </summary>
    public static int Encode(ParameterList parameters, ushort classTag, ReadOnlySpan<double> values, Span<byte> destination,
        ReadOnlySpan<byte> section = default, bool withSection = false)
    {
        int count = 0;
        for (int i = 0; i < parameters.Count; i++) if (!parameters[i].IsReadOnly) count++;
        int size = SizeFor(count, withSection ? section.Length : -1);
        if (destination.Length < size) return -1;

        var d = destination[..size];
        BinaryPrimitives.WriteUInt32LittleEndian(d, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(d[4..], withSection ? SectionVersion : ValuesOnlyVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(d[6..], classTag);
        BinaryPrimitives.WriteUInt32LittleEndian(d[8..], (uint)(size - HeaderSize - TrailerSize));
        BinaryPrimitives.WriteUInt32LittleEndian(d[12..], (uint)count);
        int at = 16;
        for (int i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].IsReadOnly) continue;
            BinaryPrimitives.WriteUInt32LittleEndian(d[at..], parameters[i].Id);
            BinaryPrimitives.WriteDoubleLittleEndian(d[(at + 4)..], parameters[i].SanitizeNormalized(values[i]));
            at += EntrySize;
        }
        if (withSection)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(d[at..], (uint)section.Length);
            section.CopyTo(d[(at + 4)..]);
            at += 4 + section.Length;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(d[at..], Crc32.Compute(d[..at]));
        return size;
    }

    /// <summary>Allocating convenience for tests and tools.</summary>
    public static byte[] Encode(ParameterList parameters, ushort classTag, ReadOnlySpan<double> values)
    {
        var buffer = new byte[MaxSize(parameters)];
        int n = Encode(parameters, classTag, values, buffer);
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
    /// decoded values into <paramref name="values"/> (list order; read-only entries keep theirs) and reports where
    /// the plugin section lies (empty when the blob has none). <paramref name="scratch"/> holds at least one double per
    /// parameter; <paramref name="seen"/> one bool per parameter. Returns false and leaves values untouched otherwise.
    /// </summary>
    public static bool TryDecode(ParameterList parameters, ushort classTag, ReadOnlySpan<byte> blob, Span<double> values,
        Span<double> scratch, Span<bool> seen, out Range section)
    {
        section = default;
        int n = parameters.Count;
        if (values.Length < n || scratch.Length < n || seen.Length < n) return false;
        if (!TryReadTotalLength(blob, blob.Length, out int total) || total != blob.Length) return false;
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(blob[4..]);
        if (version is not (ValuesOnlyVersion or SectionVersion)) return false;
        if (BinaryPrimitives.ReadUInt16LittleEndian(blob[6..]) != classTag) return false;
        int payloadLength = total - HeaderSize - TrailerSize;
        if (payloadLength < 4) return false;
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(blob[(total - TrailerSize)..]);
        if (Crc32.Compute(blob[..(total - TrailerSize)]) != crc) return false;

        uint count = BinaryPrimitives.ReadUInt32LittleEndian(blob[HeaderSize..]);
        if (count > (uint)n) return false;
        long valuesEnd = 4 + (long)count * EntrySize;
        if (version == ValuesOnlyVersion && valuesEnd != payloadLength) return false;
        if (version == SectionVersion)
        {
            if (valuesEnd + 4 > payloadLength) return false;
            uint sectionLength = BinaryPrimitives.ReadUInt32LittleEndian(blob[(HeaderSize + (int)valuesEnd)..]);
            if (valuesEnd + 4 + sectionLength != payloadLength) return false;
            int start = HeaderSize + (int)valuesEnd + 4;
            section = start..(start + (int)sectionLength);
        }

        seen[..n].Clear();
        for (int i = 0; i < n; i++) scratch[i] = parameters[i].DefaultNormalized;
        int at = HeaderSize + 4;
        for (int e = 0; e < count; e++, at += EntrySize)
        {
            uint id = BinaryPrimitives.ReadUInt32LittleEndian(blob[at..]);
            double value = BinaryPrimitives.ReadDoubleLittleEndian(blob[(at + 4)..]);
            if (!parameters.TryGetIndex(id, out int index) || seen[index] || parameters[index].IsReadOnly) return false;
            if (!double.IsFinite(value) || value < 0 || value > 1) return false;
            seen[index] = true;
            scratch[index] = value;
        }

        // Read-only (output) parameters are not part of the state; keep whatever the caller has.
        for (int i = 0; i < n; i++) if (!parameters[i].IsReadOnly) values[i] = scratch[i];
        return true;
    }

    /// <summary>Allocating convenience (tests): decode without a section.</summary>
    public static bool TryDecode(ParameterList parameters, ushort classTag, ReadOnlySpan<byte> blob, Span<double> values) =>
        TryDecode(parameters, classTag, blob, values, new double[parameters.Count], new bool[parameters.Count], out _);
}

/// <summary>CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) — the checksum of the state format.</summary>
public static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }
}

/// <summary>
/// A plugin's own part of its state (a file path, a table…), stored after the parameter values in the same
/// checksummed blob. Created once per processor instance; its size is bounded so buffers are sized up front.
/// </summary>
public interface IStateSection
{
    /// <summary>Upper bound of <see cref="Write"/>'s output, in bytes.</summary>
    int MaxBytes { get; }

    /// <summary>Writes the section; returns the bytes written (≤ <see cref="MaxBytes"/>).</summary>
    int Write(Span<byte> destination);

    /// <summary>Checks a section without applying it (all-or-nothing: the values are applied only if this and the values pass).</summary>
    bool Validate(ReadOnlySpan<byte> source);

    /// <summary>Applies a section that <see cref="Validate"/> accepted.</summary>
    void Apply(ReadOnlySpan<byte> source);
}

/// <summary>
/// Per-instance, preallocated state I/O over a host stream: the blob is built and parsed in buffers sized from the
/// model when the instance is created, so <c>getState</c>/<c>setState</c> allocate nothing in steady state.
/// </summary>
public sealed class StateBuffer
{
    private readonly ParameterList _parameters;
    private readonly ushort _classTag;
    private readonly IStateSection? _section;
    private readonly byte[] _blob;
    private readonly byte[] _sectionBytes;
    private readonly double[] _values;
    private readonly double[] _scratch;
    private readonly bool[] _seen;

    public StateBuffer(ParameterList parameters, ushort classTag, IStateSection? section = null)
    {
        _parameters = parameters;
        _classTag = classTag;
        _section = section;
        int sectionMax = section is null ? -1 : Math.Max(0, section.MaxBytes);
        _blob = new byte[PluginStateFormat.MaxSize(parameters, sectionMax)];
        _sectionBytes = new byte[Math.Max(0, sectionMax)];
        _values = new double[parameters.Count];
        _scratch = new double[parameters.Count];
        _seen = new bool[parameters.Count];
    }

    /// <summary>Largest blob this instance writes or accepts.</summary>
    public int MaxSize => _blob.Length;

    /// <summary>Writes the store's values (and the section) to <paramref name="stream"/>.</summary>
    public void Write(Stream stream, ParameterStore store)
    {
        store.CopyTo(_values);
        int sectionLength = _section is null ? 0 : Math.Clamp(_section.Write(_sectionBytes), 0, _sectionBytes.Length);
        int n = PluginStateFormat.Encode(_parameters, _classTag, _values, _blob, _sectionBytes.AsSpan(0, sectionLength), _section is not null);
        stream.Write(_blob, 0, n);
    }

    /// <summary>
    /// Reads exactly one blob (never past its end, so a host that appends its own data keeps it) and decodes it into
    /// <paramref name="values"/> (which must hold the current values: read-only entries are kept). False, with
    /// <paramref name="values"/> untouched and the section not applied, for anything that is not a whole, valid blob
    /// of this class.
    /// </summary>
    public bool TryRead(Stream stream, Span<double> values, bool applySection)
    {
        if (!ReadExactly(stream, _blob.AsSpan(0, PluginStateFormat.HeaderSize))) return false;
        if (!PluginStateFormat.TryReadTotalLength(_blob, _blob.Length, out int total)) return false;
        if (!ReadExactly(stream, _blob.AsSpan(PluginStateFormat.HeaderSize, total - PluginStateFormat.HeaderSize))) return false;
        var blob = _blob.AsSpan(0, total);
        values.CopyTo(_values);
        if (!PluginStateFormat.TryDecode(_parameters, _classTag, blob, _values, _scratch, _seen, out Range section)) return false;
        var sectionBytes = blob[section];
        if (applySection && _section is not null && !_section.Validate(sectionBytes)) return false;
        _values.CopyTo(values);
        if (applySection && _section is not null) _section.Apply(sectionBytes);
        return true;
    }

    /// <summary>Reads a blob into the store (all or nothing); the audio thread sees the new values through its generation.</summary>
    public bool TryLoad(Stream stream, ParameterStore store)
    {
        Span<double> values = _parameters.Count <= 256 ? stackalloc double[_parameters.Count] : new double[_parameters.Count];
        store.CopyTo(values);
        if (!TryRead(stream, values, applySection: true)) return false;
        store.LoadAll(values);
        return true;
    }

    private static bool ReadExactly(Stream stream, Span<byte> destination)
    {
        try
        {
            return stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false) == destination.Length;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
