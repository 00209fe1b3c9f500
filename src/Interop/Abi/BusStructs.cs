using System.Runtime.InteropServices;

namespace NPlug.Buffers.Interop.Abi;

/// <summary><c>BusInfo</c>, 276 bytes, align 4.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct BusInfo
{
    public int MediaType;     // MediaTypes
    public int Direction;     // BusDirections
    public int ChannelCount;  // for event buses: MIDI channels
    public String128 Name;
    public int BusType;       // BusTypes
    public uint Flags;        // BusFlags
}

/// <summary><c>RoutingInfo</c>, 12 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct RoutingInfo
{
    public int MediaType;
    public int BusIndex;
    public int Channel; // -1 = all
}

/// <summary><c>UnitInfo</c>, 268 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct UnitInfo
{
    public int Id;
    public int ParentUnitId;   // -1 for the root unit
    public String128 Name;
    public int ProgramListId;  // -1 = none
}

/// <summary><c>ProgramListInfo</c>, 264 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ProgramListInfo
{
    public int Id;
    public String128 Name;
    public int ProgramCount;
}

/// <summary><c>ViewRect</c>, 16 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ViewRect
{
    public int Left, Top, Right, Bottom;
}
