using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NPlug.Buffers.Interop.Abi;

/// <summary>How the four 32-bit header words of an IID/CID are laid out in the 16 bytes of a TUID.</summary>
public enum TuidEncoding
{
    /// <summary>Linux/macOS (<c>COM_COMPATIBLE = 0</c>): l1 l2 l3 l4, each most significant byte first.</summary>
    BigEndian,

    /// <summary>Windows (<c>COM_COMPATIBLE = 1</c>): Microsoft GUID layout (Data1..Data3 little-endian).</summary>
    Com,
}

/// <summary>
/// A VST3 <c>TUID</c> (<c>char[16]</c>): an interface or class id in the byte order of one platform.
/// Identity across platforms is the four header words (or the GUID text form, which is l1..l4);
/// the bytes are only meaningful together with a <see cref="TuidEncoding"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 16)]
public struct Tuid : IEquatable<Tuid>
{
    // Four 32-bit words: alignment 4 keeps PClassInfo* at their SDK sizes (an 8-aligned TUID would pad PClassInfo to 120).
    private uint _w0;
    private uint _w1;
    private uint _w2;
    private uint _w3;

    public const int Size = 16;

    public static TuidEncoding CurrentEncoding { get; } =
        OperatingSystem.IsWindows() ? TuidEncoding.Com : TuidEncoding.BigEndian;

    public static Tuid FromParts(uint l1, uint l2, uint l3, uint l4) => FromParts(l1, l2, l3, l4, CurrentEncoding);

    public static Tuid FromParts(uint l1, uint l2, uint l3, uint l4, TuidEncoding encoding)
    {
        Span<byte> b = stackalloc byte[Size];
        if (encoding == TuidEncoding.Com)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b, l1);
            BinaryPrimitives.WriteUInt16LittleEndian(b[4..], (ushort)(l2 >> 16));
            BinaryPrimitives.WriteUInt16LittleEndian(b[6..], (ushort)l2);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(b, l1);
            BinaryPrimitives.WriteUInt32BigEndian(b[4..], l2);
        }
        BinaryPrimitives.WriteUInt32BigEndian(b[8..], l3);
        BinaryPrimitives.WriteUInt32BigEndian(b[12..], l4);
        return FromBytes(b);
    }

    /// <summary>Reads the 16 bytes as they are (no reordering).</summary>
    public static Tuid FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Size) throw new ArgumentException("A TUID has 16 bytes.", nameof(bytes));
        return MemoryMarshal.Read<Tuid>(bytes);
    }

    /// <summary>
    /// A class id written as a .NET <see cref="Guid"/>: its text form is taken as l1..l4, so the
    /// resulting TUID matches the SDK's string form (<c>FUID::toString</c>) on every OS.
    /// </summary>
    public static Tuid FromGuid(Guid guid) => FromGuid(guid, CurrentEncoding);

    public static Tuid FromGuid(Guid guid, TuidEncoding encoding)
    {
        Span<byte> b = stackalloc byte[Size];
        // Big-endian Guid bytes are exactly the text digits in order; little-endian is the COM layout.
        guid.TryWriteBytes(b, bigEndian: encoding == TuidEncoding.BigEndian, out _);
        return FromBytes(b);
    }

    public readonly Guid ToGuid() => ToGuid(CurrentEncoding);

    public readonly Guid ToGuid(TuidEncoding encoding)
    {
        Span<byte> b = stackalloc byte[Size];
        CopyTo(b);
        return new Guid(b, bigEndian: encoding == TuidEncoding.BigEndian);
    }

    public readonly void GetParts(TuidEncoding encoding, out uint l1, out uint l2, out uint l3, out uint l4)
    {
        Span<byte> b = stackalloc byte[Size];
        CopyTo(b);
        if (encoding == TuidEncoding.Com)
        {
            l1 = BinaryPrimitives.ReadUInt32LittleEndian(b);
            l2 = ((uint)BinaryPrimitives.ReadUInt16LittleEndian(b[4..]) << 16) | BinaryPrimitives.ReadUInt16LittleEndian(b[6..]);
        }
        else
        {
            l1 = BinaryPrimitives.ReadUInt32BigEndian(b);
            l2 = BinaryPrimitives.ReadUInt32BigEndian(b[4..]);
        }
        l3 = BinaryPrimitives.ReadUInt32BigEndian(b[8..]);
        l4 = BinaryPrimitives.ReadUInt32BigEndian(b[12..]);
    }

    public readonly void CopyTo(Span<byte> destination)
    {
        if (destination.Length < Size) throw new ArgumentException("A TUID has 16 bytes.", nameof(destination));
        MemoryMarshal.Write(destination, in this);
    }

    public readonly byte[] ToArray()
    {
        var a = new byte[Size];
        CopyTo(a);
        return a;
    }

    /// <summary>Compares 16 bytes at a raw pointer (e.g. the <c>iid</c> argument of queryInterface); null never matches.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe bool Equals(Tuid* a, Tuid* b) => a != null && b != null && a->Equals(*b);

    public readonly bool Equals(Tuid other) => _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2 && _w3 == other._w3;

    public override readonly bool Equals(object? obj) => obj is Tuid t && Equals(t);

    public override readonly int GetHashCode() => HashCode.Combine(_w0, _w1, _w2, _w3);

    public static bool operator ==(Tuid a, Tuid b) => a.Equals(b);

    public static bool operator !=(Tuid a, Tuid b) => !a.Equals(b);

    /// <summary>The platform-independent 32-hex-digit form (l1 l2 l3 l4) read with the current encoding.</summary>
    public override readonly string ToString() => ToString(CurrentEncoding);

    public readonly string ToString(TuidEncoding encoding)
    {
        GetParts(encoding, out uint l1, out uint l2, out uint l3, out uint l4);
        return $"{l1:X8}{l2:X8}{l3:X8}{l4:X8}";
    }
}
