using System.Runtime.InteropServices;

namespace NPlug.Buffers.Interop.Abi;

/// <summary>
/// One VST3 interface identifier: the four words of <c>DECLARE_CLASS_IID</c> plus the 16 bytes for the
/// running OS in native memory, so its address can be passed straight to <c>queryInterface</c> and
/// compared against incoming <c>iid</c> pointers without pinning.
/// </summary>
public sealed unsafe class InterfaceId
{
    private readonly Tuid* _native;

    public InterfaceId(string name, uint l1, uint l2, uint l3, uint l4)
    {
        Name = name;
        L1 = l1; L2 = l2; L3 = l3; L4 = l4;
        // Lives for the whole process: IIDs are immutable and hosts may keep the pointer.
        _native = (Tuid*)NativeMemory.AlignedAlloc(Tuid.Size, 16);
        *_native = Tuid.FromParts(l1, l2, l3, l4, Tuid.CurrentEncoding);
    }

    public string Name { get; }
    public uint L1 { get; }
    public uint L2 { get; }
    public uint L3 { get; }
    public uint L4 { get; }

    /// <summary>The TUID in the running OS's encoding, at a stable native address.</summary>
    public Tuid* Pointer => _native;

    public Tuid Value => *_native;

    public Tuid Encode(TuidEncoding encoding) => Tuid.FromParts(L1, L2, L3, L4, encoding);

    /// <summary>True when the 16 bytes at <paramref name="iid"/> are this interface's id (null is never a match).</summary>
    public bool Matches(Tuid* iid) => Tuid.Equals(_native, iid);

    public bool Matches(in Tuid iid) => _native->Equals(iid);

    public override string ToString() => Name;
}

/// <summary>All VST3 interface ids used by this project (values from the SDK headers, <c>DECLARE_CLASS_IID</c>).</summary>
public static class Iids
{
    public static readonly InterfaceId FUnknown = new("FUnknown", 0x00000000, 0x00000000, 0xC0000000, 0x00000046);
    public static readonly InterfaceId IPluginBase = new("IPluginBase", 0x22888DDB, 0x156E45AE, 0x8358B348, 0x08190625);
    public static readonly InterfaceId IPluginFactory = new("IPluginFactory", 0x7A4D811C, 0x52114A1F, 0xAED9D2EE, 0x0B43BF9F);
    public static readonly InterfaceId IPluginFactory2 = new("IPluginFactory2", 0x0007B650, 0xF24B4C0B, 0xA464EDB9, 0xF00B2ABB);
    public static readonly InterfaceId IPluginFactory3 = new("IPluginFactory3", 0x4555A2AB, 0xC1234E57, 0x9B122910, 0x36878931);
    public static readonly InterfaceId IBStream = new("IBStream", 0xC3BF6EA2, 0x30994752, 0x9B6BF990, 0x1EE33E9B);
    public static readonly InterfaceId ISizeableStream = new("ISizeableStream", 0x04F9549E, 0xE02F4E6E, 0x87E86A87, 0x47F4E17F);
    public static readonly InterfaceId IComponent = new("IComponent", 0xE831FF31, 0xF2D54301, 0x928EBBEE, 0x25697802);
    public static readonly InterfaceId IAudioProcessor = new("IAudioProcessor", 0x42043F99, 0xB7DA453C, 0xA569E79D, 0x9AAEC33D);
    public static readonly InterfaceId IProcessContextRequirements = new("IProcessContextRequirements", 0x2A654303, 0xEF764E3D, 0x95B5FE83, 0x730EF6D0);
    public static readonly InterfaceId IAudioPresentationLatency = new("IAudioPresentationLatency", 0x309ECE78, 0xEB7D4FAE, 0x8B2225D9, 0x09FD08B6);
    public static readonly InterfaceId IEditController = new("IEditController", 0xDCD7BBE3, 0x7742448D, 0xA874AACC, 0x979C759E);
    public static readonly InterfaceId IEditController2 = new("IEditController2", 0x7F4EFE59, 0xF3204967, 0xAC27A3AE, 0xAFB63038);
    public static readonly InterfaceId IMidiMapping = new("IMidiMapping", 0xDF0FF9F7, 0x49B74669, 0xB63AB732, 0x7ADBF5E5);
    public static readonly InterfaceId IConnectionPoint = new("IConnectionPoint", 0x70A4156F, 0x6E6E4026, 0x989148BF, 0xAA60D8D1);
    public static readonly InterfaceId IMessage = new("IMessage", 0x936F033B, 0xC6C047DB, 0xBB0882F8, 0x13C1E613);
    public static readonly InterfaceId IAttributeList = new("IAttributeList", 0x1E5F0AEB, 0xCC7F4533, 0xA2544011, 0x38AD5EE4);
    public static readonly InterfaceId IStreamAttributes = new("IStreamAttributes", 0xD6CE2FFC, 0xEFAF4B8C, 0x9E74F1BB, 0x12DA44B4);
    public static readonly InterfaceId IParameterChanges = new("IParameterChanges", 0xA4779663, 0x0BB64A56, 0xB44384A8, 0x466FEB9D);
    public static readonly InterfaceId IParamValueQueue = new("IParamValueQueue", 0x01263A18, 0xED074F6F, 0x98C9D356, 0x4686F9BA);
    public static readonly InterfaceId IEventList = new("IEventList", 0x3A2C4214, 0x346349FE, 0xB2C4F397, 0xB9695A44);
    public static readonly InterfaceId IHostApplication = new("IHostApplication", 0x58E595CC, 0xDB2D4969, 0x8B6AAF8C, 0x36A664E5);
    public static readonly InterfaceId IComponentHandler = new("IComponentHandler", 0x93A0BEA3, 0x0BD045DB, 0x8E890B0C, 0xC1E46AC6);
    public static readonly InterfaceId IComponentHandler2 = new("IComponentHandler2", 0xF040B4B3, 0xA36045EC, 0xABCDC045, 0xB4D5A2CC);
    public static readonly InterfaceId IUnitInfo = new("IUnitInfo", 0x3D4BD6B5, 0x913A4FD2, 0xA886E768, 0xA5EB92C1);
    public static readonly InterfaceId IUnitHandler = new("IUnitHandler", 0x4B5147F8, 0x4654486B, 0x8DAB30BA, 0x163A3C56);
    public static readonly InterfaceId IPlugView = new("IPlugView", 0x5BC32507, 0xD06049EA, 0xA6151B52, 0x2B755B29);
    public static readonly InterfaceId IPlugFrame = new("IPlugFrame", 0x367FAF01, 0xAFA94693, 0x8D4DA2A0, 0xED0882A3);

    public static IReadOnlyList<InterfaceId> All { get; } =
    [
        FUnknown, IPluginBase, IPluginFactory, IPluginFactory2, IPluginFactory3, IBStream, ISizeableStream,
        IComponent, IAudioProcessor, IProcessContextRequirements, IAudioPresentationLatency, IEditController,
        IEditController2, IMidiMapping, IConnectionPoint, IMessage, IAttributeList, IStreamAttributes,
        IParameterChanges, IParamValueQueue, IEventList, IHostApplication, IComponentHandler,
        IComponentHandler2, IUnitInfo, IUnitHandler, IPlugView, IPlugFrame,
    ];

    /// <summary>The known interface whose id is at <paramref name="iid"/>, or null (diagnostics; not for hot paths).</summary>
    public static unsafe InterfaceId? Find(Tuid* iid)
    {
        if (iid == null) return null;
        foreach (var id in All)
            if (id.Matches(iid)) return id;
        return null;
    }
}
