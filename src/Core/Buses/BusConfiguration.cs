namespace NPlug.Buffers.Buses;

/// <summary>
/// The audio buses of a processor, inputs and outputs in host bus-index order. Immutable: a wrapper builds a
/// new one whenever the host changes arrangements or activates buses, and hands it to
/// <see cref="Storage.ProcessBufferStorage{T}.Reconfigure"/>, which reallocates only if it differs.
/// </summary>
/// <remarks>
/// A main bus, if a direction has one, must be bus 0 of that direction (VST3 lists its main bus first); every
/// other bus is aux. Channel totals count active buses only, because inactive buses get no storage.
/// <c>default(BusConfiguration)</c> is the empty configuration.
/// </remarks>
public readonly struct BusConfiguration : IEquatable<BusConfiguration>
{
    private readonly BusInfo[]? _inputs;
    private readonly BusInfo[]? _outputs;

    public BusConfiguration(ReadOnlySpan<BusInfo> inputs, ReadOnlySpan<BusInfo> outputs)
    {
        Validate(inputs, nameof(inputs));
        Validate(outputs, nameof(outputs));
        // Copies: the caller keeps no handle that could mutate a configuration after storage was sized from it.
        _inputs = inputs.IsEmpty ? null : inputs.ToArray();
        _outputs = outputs.IsEmpty ? null : outputs.ToArray();
        InputChannelCount = SumActiveChannels(inputs);
        OutputChannelCount = SumActiveChannels(outputs);
    }

    public ReadOnlySpan<BusInfo> Inputs => _inputs;

    public ReadOnlySpan<BusInfo> Outputs => _outputs;

    public int InputBusCount => _inputs?.Length ?? 0;

    public int OutputBusCount => _outputs?.Length ?? 0;

    /// <summary>Channels over all active input buses.</summary>
    public int InputChannelCount { get; }

    /// <summary>Channels over all active output buses.</summary>
    public int OutputChannelCount { get; }

    public bool HasMainInput => _inputs is { Length: > 0 } && _inputs[0].Kind == BusKind.Main;

    public bool HasMainOutput => _outputs is { Length: > 0 } && _outputs[0].Kind == BusKind.Main;

    public int AuxInputCount => InputBusCount - (HasMainInput ? 1 : 0);

    public int AuxOutputCount => OutputBusCount - (HasMainOutput ? 1 : 0);

    /// <summary>Active channels of the main input bus (0 if there is none or it is inactive).</summary>
    public int MainInputChannelCount => HasMainInput ? _inputs![0].ActiveChannelCount : 0;

    /// <summary>Active channels of the main output bus (0 if there is none or it is inactive).</summary>
    public int MainOutputChannelCount => HasMainOutput ? _outputs![0].ActiveChannelCount : 0;

    /// <summary>
    /// No audio input channels and at least one output channel. Hosts may hand an instrument null output
    /// channels and expect it to supply its own buffers, so storage gives instruments internal outputs.
    /// </summary>
    public bool IsInstrument => InputChannelCount == 0 && OutputChannelCount > 0;

    /// <summary>Host bus index → aux index for a direction, or -1 when that bus is the main bus.</summary>
    public int AuxIndexOf(BusDirection direction, int busIndex) =>
        busIndex - ((direction == BusDirection.Input ? HasMainInput : HasMainOutput) ? 1 : 0);

    /// <summary>An effect with one main bus per side (either may be 0 channels to omit it).</summary>
    public static BusConfiguration Effect(int inputChannels, int outputChannels) =>
        new(MainOnly("Input", inputChannels), MainOnly("Output", outputChannels));

    /// <summary>An effect with a main bus per side plus one aux input (sidechain).</summary>
    public static BusConfiguration EffectWithSidechain(int inputChannels, int sidechainChannels, int outputChannels) =>
        new([BusInfo.Main("Input", inputChannels), BusInfo.Aux("Sidechain", sidechainChannels)],
            [BusInfo.Main("Output", outputChannels)]);

    /// <summary>An instrument: no inputs, one main output bus.</summary>
    public static BusConfiguration Instrument(int outputChannels) =>
        new(ReadOnlySpan<BusInfo>.Empty, [BusInfo.Main("Output", outputChannels)]);

    public bool Equals(BusConfiguration other) => Inputs.SequenceEqual(other.Inputs) && Outputs.SequenceEqual(other.Outputs);

    public override bool Equals(object? obj) => obj is BusConfiguration other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var bus in Inputs) hash.Add(bus);
        hash.Add(-1);
        foreach (var bus in Outputs) hash.Add(bus);
        return hash.ToHashCode();
    }

    public static bool operator ==(BusConfiguration left, BusConfiguration right) => left.Equals(right);

    public static bool operator !=(BusConfiguration left, BusConfiguration right) => !left.Equals(right);

    public override string ToString() =>
        $"{InputChannelCount} in ({InputBusCount} bus) / {OutputChannelCount} out ({OutputBusCount} bus){(IsInstrument ? ", instrument" : "")}";

    private static BusInfo[] MainOnly(string name, int channels) => channels == 0 ? [] : [BusInfo.Main(name, channels)];

    private static void Validate(ReadOnlySpan<BusInfo> buses, string paramName)
    {
        for (int i = 0; i < buses.Length; i++)
        {
            if (buses[i].Name is null)
                throw new ArgumentException($"Bus {i} is default(BusInfo); construct it with a name.", paramName);
            if (buses[i].Kind == BusKind.Main && i != 0)
                throw new ArgumentException($"Bus {i} is a main bus; only bus 0 of a direction may be main.", paramName);
        }
    }

    private static int SumActiveChannels(ReadOnlySpan<BusInfo> buses)
    {
        int sum = 0;
        foreach (var bus in buses) sum += bus.ActiveChannelCount;
        return sum;
    }
}
