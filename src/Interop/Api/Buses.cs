using NPlug.Buffers.Buses;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Interop.Api;

/// <summary>
/// What audio and event buses share: how the processor declares them (<see cref="BusLayout"/>) and whether the
/// host has activated them. <c>getBusInfo</c> and <c>activateBus</c> treat both kinds alike through this type.
/// </summary>
public abstract class Bus
{
    private protected Bus(string name, BusDirection direction, BusType type, bool defaultActive) =>
        (Name, Direction, Type, DefaultActive) = (name, direction, type, defaultActive);

    public string Name { get; }
    public BusDirection Direction { get; }
    public BusType Type { get; }

    /// <summary>Audio: the arrangement's speaker count; events: the number of MIDI channels.</summary>
    public abstract int ChannelCount { get; }

    /// <summary>Only a request to the host (<c>kDefaultActive</c>); buses are inactive until activated.</summary>
    public bool DefaultActive { get; }

    /// <summary>Set by the host through <c>activateBus</c> (while inactive).</summary>
    public bool IsActive { get; internal set; }

    internal uint Flags => DefaultActive ? BusFlags.DefaultActive : 0u;
}

/// <summary>
/// An audio bus as the processor declares it. The arrangement can change through
/// <c>setBusArrangements</c>; the channel count always follows the arrangement.
/// </summary>
public sealed class AudioBus : Bus
{
    internal AudioBus(string name, BusDirection direction, BusType type, ulong arrangement, bool defaultActive)
        : base(name, direction, type, defaultActive) => Arrangement = arrangement;

    /// <summary>Speaker arrangement (<see cref="SpeakerArrangements"/>); channels are in ascending bit order.</summary>
    public ulong Arrangement { get; internal set; }

    public override int ChannelCount => SpeakerArrangements.ChannelCount(Arrangement);
}

/// <summary>An event (note) bus; <see cref="ChannelCount"/> is the number of MIDI channels (e.g. 16).</summary>
public sealed class EventBus : Bus
{
    internal EventBus(string name, BusDirection direction, BusType type, int channelCount, bool defaultActive)
        : base(name, direction, type, defaultActive) => ChannelCount = channelCount;

    public override int ChannelCount { get; }
}

/// <summary>
/// Collects the buses of a processor in <see cref="AudioProcessor.ConfigureBuses"/>. Called again on
/// every <c>initialize</c> (the validator re-initializes the same object), so buses are rebuilt from scratch.
/// </summary>
public sealed class BusLayout
{
    internal readonly List<AudioBus> AudioInputs = new();
    internal readonly List<AudioBus> AudioOutputs = new();
    internal readonly List<EventBus> EventInputs = new();
    internal readonly List<EventBus> EventOutputs = new();

    public AudioBus AddAudioInput(string name, ulong arrangement, BusType type = BusType.Main, bool defaultActive = true)
        => AddAudio(AudioInputs, name, BusDirection.Input, arrangement, type, defaultActive);

    public AudioBus AddAudioOutput(string name, ulong arrangement, BusType type = BusType.Main, bool defaultActive = true)
        => AddAudio(AudioOutputs, name, BusDirection.Output, arrangement, type, defaultActive);

    public EventBus AddEventInput(string name, int channelCount = 16, BusType type = BusType.Main, bool defaultActive = true)
        => AddEvent(EventInputs, name, BusDirection.Input, channelCount, type, defaultActive);

    public EventBus AddEventOutput(string name, int channelCount = 16, BusType type = BusType.Main, bool defaultActive = true)
        => AddEvent(EventOutputs, name, BusDirection.Output, channelCount, type, defaultActive);

    internal void Clear()
    {
        AudioInputs.Clear();
        AudioOutputs.Clear();
        EventInputs.Clear();
        EventOutputs.Clear();
    }

    private static AudioBus AddAudio(List<AudioBus> list, string name, BusDirection dir, ulong arrangement, BusType type, bool defaultActive)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (type == BusType.Main && list.Count > 0 && list[^1].Type == BusType.Aux)
            throw new ArgumentException("Main buses must come before auxiliary buses.", nameof(type));
        var bus = new AudioBus(name, dir, type, arrangement, defaultActive);
        list.Add(bus);
        return bus;
    }

    private static EventBus AddEvent(List<EventBus> list, string name, BusDirection dir, int channels, BusType type, bool defaultActive)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        var bus = new EventBus(name, dir, type, channels, defaultActive);
        list.Add(bus);
        return bus;
    }
}
