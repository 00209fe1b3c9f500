using System.Runtime.InteropServices;

namespace NPlug.Buffers.Interop.Abi;

// Vtable slot layouts, usable in both directions: a caller reads `*(XxxVtbl**)self` and calls a
// slot; an implementer fills a natively allocated XxxVtbl. A derived interface embeds its base
// vtable as its first field, so slot order = field order (checked by tests against §3.2).
// `self` is always the interface pointer. TBool is byte; TUID arguments are Tuid*; String128
// arguments are char*; FIDString/AttrID are byte* (NUL-terminated) except createInstance's cid/iid.

[StructLayout(LayoutKind.Sequential)]
public unsafe struct FUnknownVtbl
{
    public delegate* unmanaged<void*, Tuid*, void**, int> QueryInterface; // 0
    public delegate* unmanaged<void*, uint> AddRef;                       // 1
    public delegate* unmanaged<void*, uint> Release;                      // 2
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IPluginBaseVtbl
{
    public FUnknownVtbl Unknown;
    public delegate* unmanaged<void*, void*, int> Initialize; // 3 (FUnknown* context)
    public delegate* unmanaged<void*, int> Terminate;         // 4
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IPluginFactoryVtbl
{
    public FUnknownVtbl Unknown;
    public delegate* unmanaged<void*, PFactoryInfo*, int> GetFactoryInfo;          // 3
    public delegate* unmanaged<void*, int> CountClasses;                          // 4
    public delegate* unmanaged<void*, int, PClassInfo*, int> GetClassInfo;         // 5
    public delegate* unmanaged<void*, Tuid*, Tuid*, void**, int> CreateInstance;   // 6
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IPluginFactory2Vtbl
{
    public IPluginFactoryVtbl Factory;
    public delegate* unmanaged<void*, int, PClassInfo2*, int> GetClassInfo2; // 7
}

/// <summary>All three factory interfaces share this table: each is a prefix of the next.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct IPluginFactory3Vtbl
{
    public IPluginFactory2Vtbl Factory2;
    public delegate* unmanaged<void*, int, PClassInfoW*, int> GetClassInfoUnicode; // 8
    public delegate* unmanaged<void*, void*, int> SetHostContext;                   // 9
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IComponentVtbl
{
    public IPluginBaseVtbl PluginBase;
    public delegate* unmanaged<void*, Tuid*, int> GetControllerClassId;              // 5
    public delegate* unmanaged<void*, int, int> SetIoMode;                            // 6
    public delegate* unmanaged<void*, int, int, int> GetBusCount;                     // 7 (mediaType, dir)
    public delegate* unmanaged<void*, int, int, int, BusInfo*, int> GetBusInfo;       // 8
    public delegate* unmanaged<void*, RoutingInfo*, RoutingInfo*, int> GetRoutingInfo; // 9
    public delegate* unmanaged<void*, int, int, int, byte, int> ActivateBus;          // 10
    public delegate* unmanaged<void*, byte, int> SetActive;                           // 11
    public delegate* unmanaged<void*, void*, int> SetState;                           // 12 (IBStream*)
    public delegate* unmanaged<void*, void*, int> GetState;                           // 13 (IBStream*)
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IAudioProcessorVtbl
{
    public FUnknownVtbl Unknown;
    public delegate* unmanaged<void*, ulong*, int, ulong*, int, int> SetBusArrangements; // 3
    public delegate* unmanaged<void*, int, int, ulong*, int> GetBusArrangement;          // 4
    public delegate* unmanaged<void*, int, int> CanProcessSampleSize;                    // 5
    public delegate* unmanaged<void*, uint> GetLatencySamples;                           // 6
    public delegate* unmanaged<void*, ProcessSetup*, int> SetupProcessing;               // 7
    public delegate* unmanaged<void*, byte, int> SetProcessing;                          // 8
    public delegate* unmanaged<void*, ProcessData*, int> Process;                        // 9
    public delegate* unmanaged<void*, uint> GetTailSamples;                              // 10
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IProcessContextRequirementsVtbl
{
    public FUnknownVtbl Unknown;
    public delegate* unmanaged<void*, uint> GetProcessContextRequirements; // 3
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IAudioPresentationLatencyVtbl
{
    public FUnknownVtbl Unknown;
    public delegate* unmanaged<void*, int, int, uint, int> SetAudioPresentationLatencySamples; // 3
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IEditControllerVtbl
{
    public IPluginBaseVtbl PluginBase;
    public delegate* unmanaged<void*, void*, int> SetComponentState;                 // 5
    public delegate* unmanaged<void*, void*, int> SetState;                          // 6
    public delegate* unmanaged<void*, void*, int> GetState;                          // 7
    public delegate* unmanaged<void*, int> GetParameterCount;                        // 8
    public delegate* unmanaged<void*, int, ParameterInfo*, int> GetParameterInfo;     // 9
    public delegate* unmanaged<void*, uint, double, char*, int> GetParamStringByValue;   // 10
    public delegate* unmanaged<void*, uint, char*, double*, int> GetParamValueByString;  // 11
    public delegate* unmanaged<void*, uint, double, double> NormalizedParamToPlain;  // 12
    public delegate* unmanaged<void*, uint, double, double> PlainParamToNormalized;  // 13
    public delegate* unmanaged<void*, uint, double> GetParamNormalized;              // 14
    public delegate* unmanaged<void*, uint, double, int> SetParamNormalized;         // 15
    public delegate* unmanaged<void*, void*, int> SetComponentHandler;               // 16
    public delegate* unmanaged<void*, byte*, void*> CreateView;                      // 17
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IEditController2Vtbl
{
    public FUnknownVtbl Unknown;
    public delegate* unmanaged<void*, int, int> SetKnobMode;     // 3
    public delegate* unmanaged<void*, byte, int> OpenHelp;       // 4
    public delegate* unmanaged<void*, byte, int> OpenAboutBox;   // 5
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IMidiMappingVtbl
{
    public FUnknownVtbl Unknown;
    public delegate* unmanaged<void*, int, short, short, uint*, int> GetMidiControllerAssignment; // 3
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IConnectionPointVtbl
{
    public FUnknownVtbl Unknown;
    public delegate* unmanaged<void*, void*, int> Connect;     // 3 (IConnectionPoint* other)
    public delegate* unmanaged<void*, void*, int> Disconnect;  // 4
    public delegate* unmanaged<void*, void*, int> Notify;      // 5 (IMessage*)
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IMessageVtbl
{
    public FUnknownVtbl Unknown;
    public delegate* unmanaged<void*, byte*> GetMessageId;         // 3
    public delegate* unmanaged<void*, byte*, void> SetMessageId;   // 4
    public delegate* unmanaged<void*, void*> GetAttributes;        // 5 (IAttributeList*, borrowed)
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IAttributeListVtbl
{
    public FUnknownVtbl Unknown;
    public delegate* unmanaged<void*, byte*, long, int> SetInt;                 // 3
    public delegate* unmanaged<void*, byte*, long*, int> GetInt;                // 4
    public delegate* unmanaged<void*, byte*, double, int> SetFloat;             // 5
    public delegate* unmanaged<void*, byte*, double*, int> GetFloat;            // 6
    public delegate* unmanaged<void*, byte*, char*, int> SetString;             // 7
    public delegate* unmanaged<void*, byte*, char*, uint, int> GetString;       // 8 (size in BYTES)
    public delegate* unmanaged<void*, byte*, void*, uint, int> SetBinary;       // 9
    public delegate* unmanaged<void*, byte*, void**, uint*, int> GetBinary;     // 10
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IBStreamVtbl
{
    public FUnknownVtbl Unknown;
    public delegate* unmanaged<void*, void*, int, int*, int> Read;          // 3
    public delegate* unmanaged<void*, void*, int, int*, int> Write;         // 4
    public delegate* unmanaged<void*, long, int, long*, int> Seek;          // 5
    public delegate* unmanaged<void*, long*, int> Tell;                     // 6
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct ISizeableStreamVtbl
{
    public FUnknownVtbl Unknown;
    public delegate* unmanaged<void*, long*, int> GetStreamSize;  // 3
    public delegate* unmanaged<void*, long, int> SetStreamSize;   // 4
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IStreamAttributesVtbl
{
    public FUnknownVtbl Unknown;
    public delegate* unmanaged<void*, char*, int> GetFileName;  // 3 (String128)
    public delegate* unmanaged<void*, void*> GetAttributes;     // 4 (IAttributeList*)
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IParameterChangesVtbl
{
    public FUnknownVtbl Unknown;
    public delegate* unmanaged<void*, int> GetParameterCount;                 // 3
    public delegate* unmanaged<void*, int, void*> GetParameterData;           // 4 (IParamValueQueue*)
    public delegate* unmanaged<void*, uint*, int*, void*> AddParameterData;   // 5 (const ParamID& id, int32& index)
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IParamValueQueueVtbl
{
    public FUnknownVtbl Unknown;
    public delegate* unmanaged<void*, uint> GetParameterId;                   // 3
    public delegate* unmanaged<void*, int> GetPointCount;                     // 4
    public delegate* unmanaged<void*, int, int*, double*, int> GetPoint;      // 5
    public delegate* unmanaged<void*, int, double, int*, int> AddPoint;       // 6
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IEventListVtbl
{
    public FUnknownVtbl Unknown;
    public delegate* unmanaged<void*, int> GetEventCount;            // 3
    public delegate* unmanaged<void*, int, Event*, int> GetEvent;    // 4
    public delegate* unmanaged<void*, Event*, int> AddEvent;         // 5
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IHostApplicationVtbl
{
    public FUnknownVtbl Unknown;
    public delegate* unmanaged<void*, char*, int> GetName;                          // 3 (String128 out)
    public delegate* unmanaged<void*, Tuid*, Tuid*, void**, int> CreateInstance;    // 4
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IComponentHandlerVtbl
{
    public FUnknownVtbl Unknown;
    public delegate* unmanaged<void*, uint, int> BeginEdit;            // 3
    public delegate* unmanaged<void*, uint, double, int> PerformEdit;  // 4
    public delegate* unmanaged<void*, uint, int> EndEdit;              // 5
    public delegate* unmanaged<void*, int, int> RestartComponent;      // 6
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IComponentHandler2Vtbl
{
    public FUnknownVtbl Unknown;
    public delegate* unmanaged<void*, byte, int> SetDirty;            // 3
    public delegate* unmanaged<void*, byte*, int> RequestOpenEditor;  // 4
    public delegate* unmanaged<void*, int> StartGroupEdit;            // 5
    public delegate* unmanaged<void*, int> FinishGroupEdit;           // 6
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IUnitInfoVtbl
{
    public FUnknownVtbl Unknown;
    public delegate* unmanaged<void*, int> GetUnitCount;                                        // 3
    public delegate* unmanaged<void*, int, UnitInfo*, int> GetUnitInfo;                         // 4
    public delegate* unmanaged<void*, int> GetProgramListCount;                                 // 5
    public delegate* unmanaged<void*, int, ProgramListInfo*, int> GetProgramListInfo;           // 6
    public delegate* unmanaged<void*, int, int, char*, int> GetProgramName;                     // 7
    public delegate* unmanaged<void*, int, int, byte*, char*, int> GetProgramInfo;              // 8
    public delegate* unmanaged<void*, int, int, int> HasProgramPitchNames;                      // 9
    public delegate* unmanaged<void*, int, int, short, char*, int> GetProgramPitchName;         // 10
    public delegate* unmanaged<void*, int> GetSelectedUnit;                                     // 11
    public delegate* unmanaged<void*, int, int> SelectUnit;                                     // 12
    public delegate* unmanaged<void*, int, int, int, int, int*, int> GetUnitByBus;              // 13
    public delegate* unmanaged<void*, int, int, void*, int> SetUnitProgramData;                 // 14
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct IUnitHandlerVtbl
{
    public FUnknownVtbl Unknown;
    public delegate* unmanaged<void*, int, int> NotifyUnitSelection;          // 3
    public delegate* unmanaged<void*, int, int, int> NotifyProgramListChange; // 4
}

/// <summary>
/// Slot access on a raw interface pointer: the first word of every VST3 object is its vtable pointer.
/// </summary>
public static unsafe class Vtbl
{
    public static TVtbl* Of<TVtbl>(void* self) where TVtbl : unmanaged => *(TVtbl**)self;

    public static uint AddRef(void* self) => self == null ? 0 : Of<FUnknownVtbl>(self)->AddRef(self);

    public static uint Release(void* self) => self == null ? 0 : Of<FUnknownVtbl>(self)->Release(self);

    /// <summary>queryInterface on any object; returns null on failure (the result code is in <paramref name="result"/>).</summary>
    public static void* QueryInterface(void* self, InterfaceId iid, out int result)
    {
        void* obj = null;
        if (self == null) { result = TResult.InvalidArgument; return null; }
        result = Of<FUnknownVtbl>(self)->QueryInterface(self, iid.Pointer, &obj);
        return result == TResult.ResultOk ? obj : null;
    }
}
