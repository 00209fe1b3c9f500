using System.Runtime.InteropServices;

namespace NPlug.Buffers.Interop.Abi;

[StructLayout(LayoutKind.Sequential)]
public struct NoteOnEvent // 20 bytes
{
    public short Channel;
    public short Pitch;     // 0..127
    public float Tuning;    // cents
    public float Velocity;  // 0..1
    public int Length;      // samples, optional
    public int NoteId;      // -1 = none
}

[StructLayout(LayoutKind.Sequential)]
public struct NoteOffEvent // 16 bytes
{
    public short Channel;
    public short Pitch;
    public float Velocity;
    public int NoteId;
    public float Tuning;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct DataEvent // 16 bytes
{
    public uint Size;
    public uint Type; // kMidiSysEx 0
    public byte* Bytes;
}

[StructLayout(LayoutKind.Sequential)]
public struct PolyPressureEvent // 12 bytes
{
    public short Channel;
    public short Pitch;
    public float Pressure;
    public int NoteId;
}

[StructLayout(LayoutKind.Sequential)]
public struct NoteExpressionValueEvent // 16 bytes
{
    public uint TypeId;
    public int NoteId;
    public double Value;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct NoteExpressionTextEvent // 24 bytes
{
    public uint TypeId;
    public int NoteId;
    public uint TextLen;
    public char* Text;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct ChordEvent // 16 bytes
{
    public short Root;
    public short BassNote;
    public short Mask;
    public ushort TextLen;
    public char* Text;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct ScaleEvent // 16 bytes
{
    public short Root;
    public short Mask;
    public ushort TextLen;
    public char* Text;
}

[StructLayout(LayoutKind.Sequential)]
public struct LegacyMidiCCOutEvent // 4 bytes
{
    public byte ControlNumber;
    public sbyte Channel;
    public sbyte Value;
    public sbyte Value2;
}

/// <summary><c>Event</c>, 48 bytes: a header and a union at offset 24 selected by <see cref="Type"/> (<see cref="EventTypes"/>).</summary>
[StructLayout(LayoutKind.Explicit, Size = 48)]
public struct Event
{
    [FieldOffset(0)] public int BusIndex;
    [FieldOffset(4)] public int SampleOffset;
    [FieldOffset(8)] public double PpqPosition;
    [FieldOffset(16)] public ushort Flags; // EventFlags
    [FieldOffset(18)] public ushort Type;  // EventTypes
    [FieldOffset(24)] public NoteOnEvent NoteOn;
    [FieldOffset(24)] public NoteOffEvent NoteOff;
    [FieldOffset(24)] public DataEvent Data;
    [FieldOffset(24)] public PolyPressureEvent PolyPressure;
    [FieldOffset(24)] public NoteExpressionValueEvent NoteExpressionValue;
    [FieldOffset(24)] public NoteExpressionTextEvent NoteExpressionText;
    [FieldOffset(24)] public ChordEvent Chord;
    [FieldOffset(24)] public ScaleEvent Scale;
    [FieldOffset(24)] public LegacyMidiCCOutEvent MidiCCOut;
}
