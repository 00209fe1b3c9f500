using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Hosting;

/// <summary>One bus as <c>getBusInfo</c> reported it.</summary>
public sealed record BusDescription(int MediaType, int Direction, int Index, string Name, int ChannelCount, int BusType, uint Flags)
{
    public bool IsAudio => MediaType == MediaTypes.Audio;
    public bool IsMain => BusType == BusTypes.Main;
    public bool IsDefaultActive => (Flags & BusFlags.DefaultActive) != 0;

    internal static BusDescription From(in BusInfo info, int index) =>
        new(info.MediaType, info.Direction, index, AbiStrings.Read(info.Name), info.ChannelCount, info.BusType, info.Flags);
}

/// <summary>One parameter as <c>getParameterInfo</c> reported it.</summary>
public sealed record ParameterDescription(
    int Index, uint Id, string Title, string ShortTitle, string Units, int StepCount, double DefaultNormalized, int UnitId, int Flags)
{
    public bool CanAutomate => (Flags & ParameterFlags.CanAutomate) != 0;
    public bool IsReadOnly => (Flags & ParameterFlags.IsReadOnly) != 0;
    public bool IsHidden => (Flags & ParameterFlags.IsHidden) != 0;
    public bool IsList => (Flags & ParameterFlags.IsList) != 0;
    public bool IsBypass => (Flags & ParameterFlags.IsBypass) != 0;
    public bool IsProgramChange => (Flags & ParameterFlags.IsProgramChange) != 0;

    internal static ParameterDescription From(in ParameterInfo p, int index) =>
        new(index, p.Id, AbiStrings.Read(p.Title), AbiStrings.Read(p.ShortTitle), AbiStrings.Read(p.Units),
            p.StepCount, p.DefaultNormalizedValue, p.UnitId, p.Flags);

    /// <summary>Flag names joined with '|', e.g. "CanAutomate|IsBypass".</summary>
    public string FlagNames
    {
        get
        {
            var names = new List<string>();
            if (CanAutomate) names.Add("CanAutomate");
            if (IsReadOnly) names.Add("ReadOnly");
            if ((Flags & ParameterFlags.IsWrapAround) != 0) names.Add("WrapAround");
            if (IsList) names.Add("List");
            if (IsHidden) names.Add("Hidden");
            if (IsProgramChange) names.Add("ProgramChange");
            if (IsBypass) names.Add("Bypass");
            return names.Count == 0 ? "-" : string.Join('|', names);
        }
    }
}

/// <summary>Switches for how the host fills the interface pointers of <c>ProcessData</c>.</summary>
[Flags]
public enum ProcessInterfaces
{
    None = 0,
    InputParameterChanges = 1,
    OutputParameterChanges = 2,
    InputEvents = 4,
    OutputEvents = 8,
    /// <summary>A host-owned <c>ProcessContext</c> (see <see cref="HostedPlugin.Transport"/>).</summary>
    ProcessContext = 16,
    /// <summary>What a full DAW provides.</summary>
    All = InputParameterChanges | OutputParameterChanges | InputEvents | OutputEvents | ProcessContext,
    /// <summary>What Steinberg's validator provides (only input parameter changes, and only in some tests).</summary>
    Validator = InputParameterChanges,
}

/// <summary>The three zero-length "parameter flush" calls of the validator.</summary>
public enum FlushVariant
{
    /// <summary>numSamples 0, no buses, null bus arrays, one parameter queue with 0 points.</summary>
    NoBuffers,
    /// <summary>numSamples 0, numInputs = numOutputs = 0 but non-null bus arrays whose bus 0 has 0 channels.</summary>
    ZeroChannels,
    /// <summary>As <see cref="NoBuffers"/> with an empty parameter-change list.</summary>
    NoBuffersNoChanges,
}
