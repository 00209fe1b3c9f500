namespace NPlug.Buffers.Buses;

/// <summary>
/// One audio bus as a plugin declares it: a name, its role, how many channels it carries and whether the
/// host has activated it. Format-free: a VST3 wrapper maps its speaker arrangement to <see cref="ChannelCount"/>.
/// </summary>
/// <remarks>Equal when every property is (the name compared ordinally), as a record struct compares.</remarks>
public readonly record struct BusInfo
{
    /// <summary>
    /// Upper bound on channels per bus. VST3 describes a bus with a 64-bit speaker mask, so no real
    /// bus can exceed it, and the bound lets in-place state fit in one <see cref="ulong"/>.
    /// </summary>
    public const int MaxChannels = 64;

    public BusInfo(string name, BusKind kind, int channelCount, bool isActive = true)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        ChannelCount = (uint)channelCount <= MaxChannels
            ? channelCount
            : throw new ArgumentOutOfRangeException(nameof(channelCount), channelCount, $"A bus carries 0..{MaxChannels} channels.");
        Kind = kind is BusKind.Main or BusKind.Aux ? kind : throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown bus kind.");
        IsActive = isActive;
    }

    public string Name { get; }

    public BusKind Kind { get; }

    /// <summary>Declared channel count, whether or not the bus is active.</summary>
    public int ChannelCount { get; }

    public bool IsActive { get; }

    /// <summary>Channels that need storage: the declared count when active, otherwise none.</summary>
    public int ActiveChannelCount => IsActive ? ChannelCount : 0;

    public static BusInfo Main(string name, int channelCount, bool isActive = true) => new(name, BusKind.Main, channelCount, isActive);

    public static BusInfo Aux(string name, int channelCount, bool isActive = true) => new(name, BusKind.Aux, channelCount, isActive);

    public BusInfo WithActive(bool isActive) => new(Name ?? string.Empty, Kind, ChannelCount, isActive);

    public override string ToString() =>
        $"{Name} ({Kind}, {Describe(ChannelCount)}{(IsActive ? "" : ", inactive")})";

    /// <summary>A readable name for a channel count ("stereo", "5.1", ...), or "N ch" for anything else.</summary>
    public static string Describe(int channelCount) => channelCount switch
    {
        0 => "no channels",
        1 => "mono",
        2 => "stereo",
        3 => "LCR",
        4 => "quad",
        5 => "5.0",
        6 => "5.1",
        8 => "7.1",
        _ => $"{channelCount} ch",
    };
}
