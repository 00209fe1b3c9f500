using System.Runtime.InteropServices;

namespace NPlug.Buffers.Interop.Abi;

// ipluginbase.h: no falignpush, only 4-byte and 1/2-byte members, identical on every platform.

/// <summary><c>PFactoryInfo</c>, 452 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct PFactoryInfo
{
    public Char8Array64 Vendor;
    public Char8Array256 Url;
    public Char8Array128 Email;
    public int Flags; // FactoryFlags
}

/// <summary><c>PClassInfo</c>, 116 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct PClassInfo
{
    public Tuid Cid;
    public int Cardinality;
    public Char8Array32 Category;
    public Char8Array64 Name;
}

/// <summary><c>PClassInfo2</c>, 440 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct PClassInfo2
{
    public Tuid Cid;
    public int Cardinality;
    public Char8Array32 Category;
    public Char8Array64 Name;
    public uint ClassFlags; // ComponentFlags
    public Char8Array128 SubCategories;
    public Char8Array64 Vendor;
    public Char8Array64 Version;
    public Char8Array64 SdkVersion;
}

/// <summary><c>PClassInfoW</c>, 696 bytes (category and sub-categories stay 8-bit).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct PClassInfoW
{
    public Tuid Cid;
    public int Cardinality;
    public Char8Array32 Category;
    public Char16Array64 Name;
    public uint ClassFlags;
    public Char8Array128 SubCategories;
    public Char16Array64 Vendor;
    public Char16Array64 Version;
    public Char16Array64 SdkVersion;
}
