using System.Numerics;

namespace NPlug.Buffers.Interop.Abi;

// Plain int/uint constants (not enums) because they travel through int32 ABI slots unchanged.

public static class MediaTypes
{
    public const int Audio = 0;
    public const int Event = 1;
    public const int NumMediaTypes = 2;
}

public static class BusDirections
{
    public const int Input = 0;
    public const int Output = 1;
}

public static class BusTypes
{
    public const int Main = 0;
    public const int Aux = 1;
}

public static class BusFlags
{
    public const uint DefaultActive = 1u << 0;
    public const uint IsControlVoltage = 1u << 1;
}

public static class IoModes
{
    public const int Simple = 0;
    public const int Advanced = 1;
    public const int OfflineProcessing = 2;
}

public static class SymbolicSampleSizes
{
    public const int Sample32 = 0;
    public const int Sample64 = 1;
}

public static class ProcessModes
{
    public const int Realtime = 0;
    public const int Prefetch = 1;
    public const int Offline = 2;
}

public static class TailSamples
{
    public const uint NoTail = 0;
    public const uint InfiniteTail = 0xFFFFFFFF;
}

public static class ParameterFlags
{
    public const int NoFlags = 0;
    public const int CanAutomate = 1 << 0;
    public const int IsReadOnly = 1 << 1;
    public const int IsWrapAround = 1 << 2;
    public const int IsList = 1 << 3;
    public const int IsHidden = 1 << 4;
    public const int IsProgramChange = 1 << 15;
    public const int IsBypass = 1 << 16;
}

public static class ParamIds
{
    public const uint NoParamId = 0xFFFFFFFF;
    public const uint MaxPluginParamId = 0x7FFFFFFF;
}

public static class Units
{
    public const int RootUnitId = 0;
    public const int NoParentUnitId = -1;
    public const int NoProgramListId = -1;
}

public static class ClassCardinality
{
    public const int ManyInstances = 0x7FFFFFFF;
}

public static class FactoryFlags
{
    public const int NoFlags = 0;
    public const int ClassesDiscardable = 1 << 0;
    public const int LicenseCheck = 1 << 1;
    public const int ComponentNonDiscardable = 1 << 3;
    public const int Unicode = 1 << 4;
    /// <summary><c>Vst::kDefaultFactoryFlags</c>.</summary>
    public const int Default = Unicode;
}

public static class ComponentFlags
{
    public const uint Distributable = 1u << 0;
    public const uint SimpleModeSupported = 1u << 1;
}

public static class ClassCategories
{
    public const string AudioEffect = "Audio Module Class";
    public const string ComponentController = "Component Controller Class";
}

public static class SdkVersion
{
    public const string String = "VST 3.7.14";
}

public static class EventTypes
{
    public const ushort NoteOn = 0;
    public const ushort NoteOff = 1;
    public const ushort Data = 2;
    public const ushort PolyPressure = 3;
    public const ushort NoteExpressionValue = 4;
    public const ushort NoteExpressionText = 5;
    public const ushort Chord = 6;
    public const ushort Scale = 7;
    public const ushort LegacyMidiCCOut = 65535;
}

public static class EventFlags
{
    public const ushort IsLive = 1 << 0;
    public const ushort UserReserved1 = 1 << 14;
    public const ushort UserReserved2 = 1 << 15;
}

public static class ProcessContextState
{
    public const uint Playing = 1u << 1;
    public const uint CycleActive = 1u << 2;
    public const uint Recording = 1u << 3;
    public const uint SystemTimeValid = 1u << 8;
    public const uint ProjectTimeMusicValid = 1u << 9;
    public const uint TempoValid = 1u << 10;
    public const uint BarPositionValid = 1u << 11;
    public const uint CycleValid = 1u << 12;
    public const uint TimeSigValid = 1u << 13;
    public const uint SmpteValid = 1u << 14;
    public const uint ClockValid = 1u << 15;
    public const uint ContTimeValid = 1u << 17;
    public const uint ChordValid = 1u << 18;
}

public static class ProcessContextRequirementFlags
{
    public const uint NeedSystemTime = 1u << 0;
    public const uint NeedContinousTimeSamples = 1u << 1;
    public const uint NeedProjectTimeMusic = 1u << 2;
    public const uint NeedBarPositionMusic = 1u << 3;
    public const uint NeedCycleMusic = 1u << 4;
    public const uint NeedSamplesToNextClock = 1u << 5;
    public const uint NeedTempo = 1u << 6;
    public const uint NeedTimeSignature = 1u << 7;
    public const uint NeedChord = 1u << 8;
    public const uint NeedFrameRate = 1u << 9;
    public const uint NeedTransportState = 1u << 10;
}

public static class RestartFlags
{
    public const int ReloadComponent = 1 << 0;
    public const int IoChanged = 1 << 1;
    public const int ParamValuesChanged = 1 << 2;
    public const int LatencyChanged = 1 << 3;
    public const int ParamTitlesChanged = 1 << 4;
    public const int MidiCCAssignmentChanged = 1 << 5;
    public const int NoteExpressionChanged = 1 << 6;
    public const int IoTitlesChanged = 1 << 7;
    public const int PrefetchableSupportChanged = 1 << 8;
    public const int RoutingInfoChanged = 1 << 9;
    public const int KeyswitchChanged = 1 << 10;
    public const int ParamIdMappingChanged = 1 << 11;
}

public static class StreamSeekModes
{
    public const int Set = 0;
    public const int Cur = 1;
    public const int End = 2;
}

public static class KnobModes
{
    public const int Circular = 0;
    public const int RelativCircular = 1;
    public const int Linear = 2;
}

public static class ViewTypes
{
    public const string Editor = "editor";
}

/// <summary>Speaker bits and arrangements (<c>vstspeaker.h</c>). Channel order inside a bus is ascending bit order.</summary>
public static class SpeakerArrangements
{
    public const ulong SpeakerL = 1UL << 0;
    public const ulong SpeakerR = 1UL << 1;
    public const ulong SpeakerC = 1UL << 2;
    public const ulong SpeakerLfe = 1UL << 3;
    public const ulong SpeakerLs = 1UL << 4;
    public const ulong SpeakerRs = 1UL << 5;
    public const ulong SpeakerLc = 1UL << 6;
    public const ulong SpeakerRc = 1UL << 7;
    public const ulong SpeakerCs = 1UL << 8;
    public const ulong SpeakerSl = 1UL << 9;
    public const ulong SpeakerSr = 1UL << 10;
    public const ulong SpeakerTc = 1UL << 11;
    public const ulong SpeakerTfl = 1UL << 12;
    public const ulong SpeakerTfc = 1UL << 13;
    public const ulong SpeakerTfr = 1UL << 14;
    public const ulong SpeakerTrl = 1UL << 15;
    public const ulong SpeakerTrc = 1UL << 16;
    public const ulong SpeakerTrr = 1UL << 17;
    public const ulong SpeakerLfe2 = 1UL << 18;
    public const ulong SpeakerM = 1UL << 19;

    public const ulong Empty = 0;
    public const ulong Mono = SpeakerM;
    public const ulong Stereo = SpeakerL | SpeakerR;
    public const ulong StereoSurround = SpeakerLs | SpeakerRs;
    public const ulong StereoCenter = SpeakerLc | SpeakerRc;
    public const ulong StereoSide = SpeakerSl | SpeakerSr;
    public const ulong StereoCLfe = SpeakerC | SpeakerLfe;
    public const ulong K30Cine = 0x7;
    public const ulong K30Music = 0x103;
    public const ulong K31Cine = 0xF;
    public const ulong K31Music = 0x10B;
    public const ulong K40Cine = 0x107;
    public const ulong K40Music = 0x33;
    public const ulong K41Cine = 0x10F;
    public const ulong K41Music = 0x3B;
    public const ulong K50 = 0x37;
    public const ulong K51 = 0x3F;
    public const ulong K60Cine = 0x137;
    public const ulong K60Music = 0x633;
    public const ulong K61Cine = 0x13F;
    public const ulong K61Music = 0x63B;
    public const ulong K70Cine = 0xF7;
    public const ulong K70Music = 0x637;
    public const ulong K71Cine = 0xFF;
    public const ulong K71Music = 0x63F;
    public const ulong K51_2 = 0x503F;
    public const ulong K51_4 = 0x2D03F;
    public const ulong K71_4 = 0x2D63F;
    public const ulong Ambi1stOrderAcn = 0xF00000;

    public static int ChannelCount(ulong arrangement) => BitOperations.PopCount(arrangement);
}
