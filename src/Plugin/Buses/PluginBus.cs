using System.Numerics;
using NPlug.Buffers.Buses;

namespace NPlug.Buffers.Plugin.Buses;

/// <summary>
/// One audio bus as the plugin declares it to the host: name, role, speaker arrangement (VST3 bit mask; channel count
/// is its population count) and whether the host activated it. Mutated only on the UI thread while inactive.
/// </summary>
public sealed class PluginBus
{
    public PluginBus(string name, BusKind kind, ulong arrangement, bool defaultActive)
    {
        Name = name;
        Kind = kind;
        Arrangement = arrangement;
        DefaultActive = defaultActive;
        IsActive = false;
    }

    public string Name { get; }
    public BusKind Kind { get; }
    public ulong Arrangement { get; set; }
    public bool DefaultActive { get; }
    /// <summary>VST3 buses start inactive until the host activates them (kDefaultActive is only a request).</summary>
    public bool IsActive { get; set; }
    public int ChannelCount => BitOperations.PopCount(Arrangement);

    public BusInfo ToCore() => new(Name, Kind, ChannelCount, IsActive);
}

/// <summary>The audio and event buses of one processor class, plus the arrangement rules it accepts.</summary>
public sealed class PluginBusLayout
{
    private readonly Func<PluginBus[]> _factory;

    /// <param name="factory">Builds the initial buses; called again by <see cref="ResetToDefaults"/> so
    /// terminate → initialize starts from the same declaration.</param>
    public PluginBusLayout(Func<PluginBus[]> inputs, Func<PluginBus[]> outputs, int eventInputs, IArrangementPolicy policy)
    {
        _factory = inputs;
        _outputsFactory = outputs;
        EventInputCount = eventInputs;
        Policy = policy;
        Inputs = inputs();
        Outputs = outputs();
        EventInputActive = new bool[eventInputs];
    }

    private readonly Func<PluginBus[]> _outputsFactory;

    public PluginBus[] Inputs { get; private set; }
    public PluginBus[] Outputs { get; private set; }
    public int EventInputCount { get; }
    public bool[] EventInputActive { get; private set; }
    public IArrangementPolicy Policy { get; }

    public void ResetToDefaults()
    {
        Inputs = _factory();
        Outputs = _outputsFactory();
        EventInputActive = new bool[EventInputCount];
    }

    public PluginBus[] Direction(BusDirection direction) => direction == BusDirection.Input ? Inputs : Outputs;

    /// <summary>The format-free description the buffer storage is sized from.</summary>
    public BusConfiguration ToConfiguration()
    {
        var ins = new BusInfo[Inputs.Length];
        for (int i = 0; i < ins.Length; i++) ins[i] = Inputs[i].ToCore();
        var outs = new BusInfo[Outputs.Length];
        for (int i = 0; i < outs.Length; i++) outs[i] = Outputs[i].ToCore();
        return new BusConfiguration(ins, outs);
    }

    /// <summary>
    /// Applies the host's request when the policy accepts it; otherwise applies the policy's suggestion (so the host
    /// reads it back through getBusArrangement) and returns false. Counts that do not match the bus counts are refused
    /// without changing anything.
    /// </summary>
    public bool TrySetArrangements(ReadOnlySpan<ulong> inputs, ReadOnlySpan<ulong> outputs)
    {
        if (inputs.Length != Inputs.Length || outputs.Length != Outputs.Length) return false;
        Span<ulong> chosenIn = stackalloc ulong[inputs.Length];
        Span<ulong> chosenOut = stackalloc ulong[outputs.Length];
        bool accepted = Policy.Evaluate(inputs, outputs, chosenIn, chosenOut);
        for (int i = 0; i < Inputs.Length; i++) Inputs[i].Arrangement = chosenIn[i];
        for (int i = 0; i < Outputs.Length; i++) Outputs[i].Arrangement = chosenOut[i];
        return accepted;
    }
}
