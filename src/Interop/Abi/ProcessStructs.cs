using System.Runtime.InteropServices;

namespace NPlug.Buffers.Interop.Abi;

/// <summary><c>ProcessSetup</c>, 24 bytes (4 bytes padding before <see cref="SampleRate"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ProcessSetup
{
    public int ProcessMode;         // ProcessModes
    public int SymbolicSampleSize;  // SymbolicSampleSizes
    public int MaxSamplesPerBlock;
    public double SampleRate;
}

/// <summary>
/// <c>AudioBusBuffers</c>, 24 bytes. The channel pointer array is ONE union slot: read it as
/// <see cref="ChannelBuffers32"/> or <see cref="ChannelBuffers64"/> according to the symbolic sample size.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public unsafe struct AudioBusBuffers
{
    [FieldOffset(0)] public int NumChannels;
    [FieldOffset(8)] public ulong SilenceFlags; // bit n = channel n is silent
    [FieldOffset(16)] public float** ChannelBuffers32;
    [FieldOffset(16)] public double** ChannelBuffers64;
}

/// <summary><c>ProcessData</c>, 80 bytes on 64-bit targets.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct ProcessData
{
    public int ProcessMode;
    public int SymbolicSampleSize;
    public int NumSamples;
    public int NumInputs;   // audio input buses
    public int NumOutputs;  // audio output buses
    public AudioBusBuffers* Inputs;
    public AudioBusBuffers* Outputs;
    public void* InputParameterChanges;   // IParameterChanges*, may be null
    public void* OutputParameterChanges;  // IParameterChanges*, may be null
    public void* InputEvents;             // IEventList*, may be null
    public void* OutputEvents;            // IEventList*, may be null
    public ProcessContext* ProcessContext; // may be null
}

/// <summary><c>Chord</c> inside <see cref="ProcessContext"/>, 4 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct Chord
{
    public byte KeyNote;
    public byte RootNote;
    public short ChordMask;
}

/// <summary><c>FrameRate</c> inside <see cref="ProcessContext"/>, 8 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct FrameRate
{
    public uint FramesPerSecond;
    public uint Flags; // kPullDownRate 1, kDropRate 2
}

/// <summary><c>ProcessContext</c>, 112 bytes. Fields other than sample rate and project time are valid only with their <see cref="ProcessContextState"/> bit.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ProcessContext
{
    public uint State;
    public double SampleRate;
    public long ProjectTimeSamples;
    public long SystemTime;
    public long ContinousTimeSamples; // SDK spelling
    public double ProjectTimeMusic;
    public double BarPositionMusic;
    public double CycleStartMusic;
    public double CycleEndMusic;
    public double Tempo;
    public int TimeSigNumerator;
    public int TimeSigDenominator;
    public Chord Chord;
    public int SmpteOffsetSubframes;
    public FrameRate FrameRate;
    public int SamplesToNextClock;
}
