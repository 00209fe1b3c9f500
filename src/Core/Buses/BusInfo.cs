namespace NPlug.Buffers.Buses;

/// <summary>
/// One audio bus as a plugin declares it: a name, its role, how many channels it carries and whether the
/// host has activated it. Format-free: a VST3 wrapper maps its speaker arrangement to <see cref="ChannelCount"/>.
/// </summary>
public readonly struct BusInfo : IEquatable<BusInfo>
{
    /// <summary>
    /// Upper bound on channels per bus. VST3 describes a bus with a 64-bit speaker mask, so no real
    /// bus can exceed it, and the bound lets in-place state fit in one <see cref="ulong"/>.
    /// </summary>
    public const int MaxChannels = 64;

    public BusInfo(string name, BusKind kind, int channelCount, bool isActive = true)
    {
        ArgumentNullException.ThrowIfNull(name);
        if ((uint)channelCount > MaxChannels)
            throw new ArgumentOutOfRangeException(nameof(channelCount), channelCount, $"A bus carries 0..{MaxChannels} channels.");
        if (kind is not (BusKind.Main or BusKind.Aux))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown bus kind.");
        Name = name;
        Kind = kind;
        ChannelCount = channelCount;
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

    public bool Equals(BusInfo other) =>
        Kind == other.Kind && ChannelCount == other.ChannelCount && IsActive == other.IsActive
        && string.Equals(Name, other.Name, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is BusInfo other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Name, Kind, ChannelCount, IsActive);

    public static bool operator ==(BusInfo left, BusInfo right) => left.Equals(right);

    public static bool operator !=(BusInfo left, BusInfo right) => !left.Equals(right);

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
