using System.Numerics;

using NPlug.Buffers.Interop.Api;

namespace NPlug.Buffers.Interop.Framework;

/// <summary>How a model's bypass parameter is honoured.</summary>
public enum BypassHandling
{
    /// <summary>
    /// The framework does it: an effect crossfades its output into the dry input, an instrument fades its output to
    /// silence, each over <see cref="AudioPluginModel.BypassFadeSeconds"/>; the DSP keeps running (and sees the
    /// bypass parameter like any other, e.g. to release its voices).
    /// </summary>
    Framework,
    /// <summary>The DSP implements bypass itself (for example sample-accurately inside its own chain).</summary>
    Dsp,
}

/// <summary>
/// A plugin class, declared once: class info, parameters, buses and the DSP it runs. The processor and the
/// controller are both built from it by the framework, so parameter strings, conversions, list mappings, state and
/// bus negotiation exist once. Build the model in the derived constructor; one instance serves every plugin instance
/// of the class (it is read-only after construction).
/// </summary>
/// <example>
/// <code>
/// public sealed class GainModel : AudioPluginModel
/// {
///     public GainModel() : base("My Gain", "0F5B…01", "0F5B…02", "Fx|Dynamics", stateTag: 1)
///     {
///         Gain = AddParameter(AudioParameter.Linear(0, "Gain", -48, 12, 0, "dB"));
///         AddBypassParameter(1);
///         AddAudioInput("Input", SpeakerArrangement.Stereo);
///         AddAudioOutput("Output", SpeakerArrangement.Stereo);
///     }
///     public AudioParameter Gain { get; }
///     public override AudioDsp&lt;T&gt; CreateDsp&lt;T&gt;() => new GainDsp&lt;T&gt;(this);
/// }
/// </code>
/// </example>
public abstract class AudioPluginModel
{
    private readonly List<AudioBusModel> _inputs = new();
    private readonly List<AudioBusModel> _outputs = new();
    private readonly List<EventBusModel> _events = new();

    /// <param name="name">Class name shown by hosts.</param>
    /// <param name="processorClassId">The processor's class id (any <see cref="Guid"/> text form; the SDK's l1..l4 order).</param>
    /// <param name="controllerClassId">The controller's class id.</param>
    /// <param name="subCategories">e.g. "Fx|EQ", "Instrument|Sampler".</param>
    /// <param name="stateTag">Written into every state blob so a blob of another class is refused.</param>
    protected AudioPluginModel(string name, string processorClassId, string controllerClassId, string subCategories, ushort stateTag)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        ProcessorClassId = Guid.Parse(processorClassId);
        ControllerClassId = Guid.Parse(controllerClassId);
        if (ProcessorClassId == Guid.Empty || ControllerClassId == Guid.Empty || ProcessorClassId == ControllerClassId)
            throw new ArgumentException("Processor and controller need two different, non-empty class ids.");
        SubCategories = subCategories ?? string.Empty;
        StateTag = stateTag;
    }

    public string Name { get; }
    public Guid ProcessorClassId { get; }
    public Guid ControllerClassId { get; }
    public string SubCategories { get; }
    public ushort StateTag { get; }
    public string Version { get; init; } = "1.0.0";

    /// <summary><c>ComponentFlags</c> of the processor class (e.g. distributable).</summary>
    public uint ClassFlags { get; init; }

    public ParameterList Parameters { get; } = new();

    /// <summary>The bypass parameter, if declared.</summary>
    public AudioParameter? BypassParameter { get; private set; }

    /// <summary>A read-only parameter the framework fills with the output peak in dBFS after every block, if declared.</summary>
    public AudioParameter? OutputPeakMeter { get; private set; }

    public BypassHandling BypassMode { get; protected init; } = BypassHandling.Framework;

    /// <summary>Length of the framework's bypass fade.</summary>
    public double BypassFadeSeconds { get; protected init; } = 0.010;

    public IReadOnlyList<AudioBusModel> AudioInputs => _inputs;
    public IReadOnlyList<AudioBusModel> AudioOutputs => _outputs;
    public IReadOnlyList<EventBusModel> EventInputs => _events;

    /// <summary>No main audio input: null output channels get internal buffers instead of a discard buffer.</summary>
    public bool IsInstrument
    {
        get
        {
            foreach (var bus in _inputs) if (bus.Type == BusType.Main) return false;
            return true;
        }
    }

    /// <summary>Processing latency in samples at <paramref name="sampleRate"/>.</summary>
    public virtual uint GetLatencySamples(double sampleRate) => 0;

    /// <summary>Tail in samples at <paramref name="sampleRate"/> (uint.MaxValue: infinite).</summary>
    public virtual uint GetTailSamples(double sampleRate) => 0;

    /// <summary>Most note events one block delivers to the DSP; more are dropped (and counted).</summary>
    public int MaxEventsPerBlock { get; protected init; } = 512;

    /// <summary>Most automation points per parameter per block delivered to the DSP (the last point always is).</summary>
    public int MaxPointsPerParameter { get; protected init; } = 64;

    /// <summary>The DSP at one precision; the framework calls it for <see cref="float"/> and <see cref="double"/> as the host asks.</summary>
    public abstract AudioDsp<T> CreateDsp<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>;

    /// <summary>An optional section of its own that each processor instance stores after the parameter values.</summary>
    public virtual IStateSection? CreateStateSection() => null;

    // ---- declaration ---------------------------------------------------------------------------

    protected AudioParameter AddParameter(AudioParameter parameter)
    {
        Parameters.Add(parameter);
        if (parameter.IsBypass) BypassParameter = parameter;
        return parameter;
    }

    /// <summary>Declares the bypass switch (<c>kIsBypass</c>); see <see cref="BypassMode"/> for who honours it.</summary>
    protected AudioParameter AddBypassParameter(uint id, string title = "Bypass") => AddParameter(AudioParameter.Bypass(id, title));

    /// <summary>Declares the output-peak meter the framework keeps up to date (dBFS, read-only).</summary>
    protected AudioParameter AddOutputPeakMeter(uint id, string title = "Output Peak", double minDb = -120, double maxDb = 24, string shortTitle = "Peak")
    {
        var meter = AddParameter(AudioParameter.Meter(id, title, minDb, maxDb, "dB", shortTitle: shortTitle));
        OutputPeakMeter = meter;
        return meter;
    }

    protected AudioBusModel AddAudioInput(string name, SpeakerArrangement arrangement, BusType type = BusType.Main, bool defaultActive = true)
        => Add(_inputs, new AudioBusModel(name, type, arrangement, defaultActive));

    protected AudioBusModel AddAudioOutput(string name, SpeakerArrangement arrangement, BusType type = BusType.Main, bool defaultActive = true)
        => Add(_outputs, new AudioBusModel(name, type, arrangement, defaultActive));

    protected EventBusModel AddEventInput(string name, int channels = 16)
    {
        var bus = new EventBusModel(name, channels);
        _events.Add(bus);
        return bus;
    }

    private static AudioBusModel Add(List<AudioBusModel> list, AudioBusModel bus)
    {
        // VST3: main buses come before auxiliary ones.
        if (bus.Type == BusType.Main && list.Exists(b => b.Type == BusType.Aux))
            throw new InvalidOperationException("Declare main buses before auxiliary buses.");
        list.Add(bus);
        return bus;
    }

    // ---- bus negotiation --------------------------------------------------------------------------

    /// <summary>
    /// Decides a host's <c>setBusArrangements</c> request (one arrangement per declared bus). Fills the arrangements
    /// the plugin will use: the request itself when it returns true, the closest supported layout (the suggestion the
    /// host reads back) when it returns false. Default: every bus independently accepts its
    /// <see cref="AudioBusModel.Accepted"/> arrangements and suggests the accepted one with the requested channel
    /// count, else its default.
    /// </summary>
    public virtual bool NegotiateArrangements(ReadOnlySpan<SpeakerArrangement> inputs, ReadOnlySpan<SpeakerArrangement> outputs,
        Span<SpeakerArrangement> chosenInputs, Span<SpeakerArrangement> chosenOutputs)
    {
        bool ok = true;
        for (int i = 0; i < inputs.Length; i++) ok &= _inputs[i].Negotiate(inputs[i], out chosenInputs[i]);
        for (int i = 0; i < outputs.Length; i++) ok &= _outputs[i].Negotiate(outputs[i], out chosenOutputs[i]);
        return ok;
    }
}

/// <summary>An audio bus of a model: name, main or aux, default arrangement and the arrangements it accepts.</summary>
public sealed class AudioBusModel
{
    private SpeakerArrangement[] _accepted;

    internal AudioBusModel(string name, BusType type, SpeakerArrangement arrangement, bool defaultActive)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Type = type;
        DefaultArrangement = arrangement;
        DefaultActive = defaultActive;
        _accepted = [arrangement];
    }

    public string Name { get; }
    public BusType Type { get; }
    public SpeakerArrangement DefaultArrangement { get; }
    public bool DefaultActive { get; }
    public IReadOnlyList<SpeakerArrangement> Accepted => _accepted;

    /// <summary>Sets the arrangements this bus accepts (the default is always among them).</summary>
    public AudioBusModel Accepting(params SpeakerArrangement[] arrangements)
    {
        var list = new List<SpeakerArrangement> { DefaultArrangement };
        foreach (var a in arrangements) if (!list.Contains(a)) list.Add(a);
        _accepted = list.ToArray();
        return this;
    }

    internal bool Negotiate(SpeakerArrangement requested, out SpeakerArrangement chosen)
    {
        foreach (var a in _accepted) if (a == requested) { chosen = a; return true; }
        chosen = DefaultArrangement;
        foreach (var a in _accepted) if (a.ChannelCount == requested.ChannelCount) { chosen = a; break; }
        return false;
    }
}

/// <summary>An event (note) input bus; <see cref="Channels"/> is the number of MIDI channels.</summary>
public sealed class EventBusModel
{
    internal EventBusModel(string name, int channels)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        Name = name;
        Channels = channels;
    }

    public string Name { get; }
    public int Channels { get; }
}
