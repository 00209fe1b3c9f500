using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace NPlug.Buffers.Interop.Abi;

/// <summary>VST3 <c>String128</c>: 128 UTF-16 code units, NUL-terminated (at most 127 characters of text).</summary>
[InlineArray(Length)]
public struct String128
{
    public const int Length = 128;
    private char _element0;
}

/// <summary><c>char16[64]</c> (names in <c>PClassInfoW</c>).</summary>
[InlineArray(Length)]
public struct Char16Array64
{
    public const int Length = 64;
    private char _element0;
}

/// <summary><c>char8[32]</c> (class category).</summary>
[InlineArray(Length)]
public struct Char8Array32
{
    public const int Length = 32;
    private byte _element0;
}

/// <summary><c>char8[64]</c> (names, vendor, version).</summary>
[InlineArray(Length)]
public struct Char8Array64
{
    public const int Length = 64;
    private byte _element0;
}

/// <summary><c>char8[128]</c> (e-mail, sub-categories).</summary>
[InlineArray(Length)]
public struct Char8Array128
{
    public const int Length = 128;
    private byte _element0;
}

/// <summary><c>char8[256]</c> (URL).</summary>
[InlineArray(Length)]
public struct Char8Array256
{
    public const int Length = 256;
    private byte _element0;
}

/// <summary>
/// Bounded, always-terminated string copies into and out of fixed VST3 character fields.
/// Writes truncate rather than throw: a long name must never overrun a field (bounds are in
/// elements, not bytes) nor fail a host call.
/// </summary>
public static unsafe class AbiStrings
{
    /// <summary>Copies at most <c>destination.Length - 1</c> UTF-16 units and a NUL; clears the rest.</summary>
    public static void WriteUtf16(Span<char> destination, ReadOnlySpan<char> value)
    {
        if (destination.IsEmpty) return;
        int n = Math.Min(value.Length, destination.Length - 1);
        // Do not split a surrogate pair at the cut.
        if (n > 0 && n < value.Length && char.IsHighSurrogate(value[n - 1])) n--;
        value[..n].CopyTo(destination);
        destination[n..].Clear();
    }

    /// <summary>Reads up to the first NUL (or the whole span if there is none).</summary>
    public static string ReadUtf16(ReadOnlySpan<char> source)
    {
        int end = source.IndexOf('\0');
        return new string(end < 0 ? source : source[..end]);
    }

    /// <summary>Encodes UTF-8 into at most <c>destination.Length - 1</c> bytes (whole characters only) and a NUL.</summary>
    public static void WriteUtf8(Span<byte> destination, ReadOnlySpan<char> value)
    {
        if (destination.IsEmpty) return;
        Utf8.FromUtf16(value, destination[..^1], out _, out int written, replaceInvalidSequences: true, isFinalBlock: true);
        destination[written..].Clear();
    }

    public static string ReadUtf8(ReadOnlySpan<byte> source)
    {
        int end = source.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? source : source[..end]);
    }

    /// <summary>Writes into a <c>String128</c> out-parameter given as a raw pointer (e.g. getParamStringByValue).</summary>
    public static void WriteString128(char* destination, ReadOnlySpan<char> value)
    {
        if (destination == null) return;
        WriteUtf16(new Span<char>(destination, String128.Length), value);
    }

    /// <summary>Reads a NUL-terminated UTF-16 string from a raw pointer, never past 128 units for a String128 argument.</summary>
    public static string ReadString128(char* source) => source == null ? string.Empty : ReadUtf16(new ReadOnlySpan<char>(source, String128.Length));

    /// <summary>The text of a NUL-terminated <c>String128</c> argument as a span over the caller's memory (no copy, never
    /// past 128 units); empty for null.</summary>
    public static ReadOnlySpan<char> String128Span(char* source)
    {
        if (source == null) return ReadOnlySpan<char>.Empty;
        var s = new ReadOnlySpan<char>(source, String128.Length);
        int end = s.IndexOf('\0');
        return end < 0 ? s : s[..end];
    }

    /// <summary>Reads a NUL-terminated UTF-8/ASCII C string (message ids, attribute keys), bounded by <paramref name="maxBytes"/>.</summary>
    public static string ReadCString(byte* source, int maxBytes = 1024)
    {
        if (source == null) return string.Empty;
        int n = 0;
        while (n < maxBytes && source[n] != 0) n++;
        return Encoding.UTF8.GetString(source, n);
    }

    public static void Write(ref String128 field, ReadOnlySpan<char> value) => WriteUtf16(field, value);
    public static string Read(in String128 field) => ReadUtf16(field);
    public static void Write(ref Char16Array64 field, ReadOnlySpan<char> value) => WriteUtf16(field, value);
    public static string Read(in Char16Array64 field) => ReadUtf16(field);
    public static void Write(ref Char8Array32 field, ReadOnlySpan<char> value) => WriteUtf8(field, value);
    public static string Read(in Char8Array32 field) => ReadUtf8(field);
    public static void Write(ref Char8Array64 field, ReadOnlySpan<char> value) => WriteUtf8(field, value);
    public static string Read(in Char8Array64 field) => ReadUtf8(field);
    public static void Write(ref Char8Array128 field, ReadOnlySpan<char> value) => WriteUtf8(field, value);
    public static string Read(in Char8Array128 field) => ReadUtf8(field);
    public static void Write(ref Char8Array256 field, ReadOnlySpan<char> value) => WriteUtf8(field, value);
    public static string Read(in Char8Array256 field) => ReadUtf8(field);
}
