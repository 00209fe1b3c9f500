using System.Runtime.InteropServices;

namespace NPlug.Buffers.Interop.Abi;

/// <summary><c>ParameterInfo</c>, 792 bytes (4 bytes padding before <see cref="DefaultNormalizedValue"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ParameterInfo
{
    public uint Id;
    public String128 Title;
    public String128 ShortTitle;
    public String128 Units;
    public int StepCount;                // 0 continuous, 1 toggle, n = n+1 values
    public double DefaultNormalizedValue;
    public int UnitId;                   // kRootUnitId = 0
    public int Flags;                    // ParameterFlags
}
