using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Interop.Api;

/// <summary>
/// The host's <c>IComponentHandler</c> as seen by a controller: report user edits (begin/perform/end)
/// and ask for restarts (<see cref="RestartFlags"/>). UI thread only.
/// </summary>
public interface IComponentHandlerSink
{
    int BeginEdit(uint parameterId);
    int PerformEdit(uint parameterId, double normalizedValue);
    int EndEdit(uint parameterId);
    int RestartComponent(int flags);
}

/// <summary>
/// Base class of a VST3 edit controller ("Component Controller Class"): parameters with their
/// conversions, units, component state and controller state. Like <see cref="AudioProcessor"/>, the
/// public methods are the host-facing entry points and return VST3 result codes.
/// </summary>
public abstract class EditController : PluginComponentBase
{
    private readonly List<UnitDescription> _units = new();
    private double[] _values = [];

    public ParameterList Parameters { get; } = new();

    /// <summary>Declared units beyond the implicit root unit (id 0).</summary>
    public IReadOnlyList<UnitDescription> Units => _units;

    public bool IsInitialized { get; private set; }

    /// <summary>The host's handler, once set (null before <c>setComponentHandler</c> and after terminate).</summary>
    protected IComponentHandlerSink? ComponentHandler { get; private set; }

    // ---- hooks -------------------------------------------------------------------------------

    /// <summary>Declares the parameters. Called on every <see cref="Initialize"/>, with an empty list.</summary>
    protected abstract void ConfigureParameters(ParameterList parameters);

    /// <summary>Declares units (ids &gt; 0) referenced by <see cref="AudioParameter.UnitId"/>.</summary>
    protected virtual void ConfigureUnits(ICollection<UnitDescription> units) { }

    protected virtual void OnInitialize() { }

    protected virtual void OnTerminate() { }

    /// <summary>
    /// Reads the processor's state (as written by <c>AudioProcessor.OnWriteState</c>) into <paramref name="values"/>
    /// (normalized, list order, holding the current values). False refuses the state; nothing changes then.
    /// </summary>
    protected virtual bool OnSetComponentState(Stream stream, Span<double> values) => true;

    /// <summary>Controller-only state (e.g. UI settings).</summary>
    protected virtual void OnWriteState(Stream stream) { }

    protected virtual bool OnReadState(Stream stream) => true;

    // ---- host-facing entry points --------------------------------------------------------------

    public int Initialize()
    {
        if (IsInitialized) return TResult.ResultFalse;
        Parameters.Clear();
        _units.Clear();
        ConfigureParameters(Parameters);
        ConfigureUnits(_units);
        foreach (var p in Parameters.All)
        {
            if (p.UnitId != Abi.Units.RootUnitId && !_units.Exists(u => u.Id == p.UnitId))
                throw new InvalidOperationException($"Parameter {p.Id} refers to unknown unit {p.UnitId}.");
        }
        _values = Parameters.CreateDefaults();
        OnInitialize();
        IsInitialized = true;
        return TResult.ResultOk;
    }

    public int Terminate()
    {
        if (IsInitialized) OnTerminate();
        ComponentHandler = null;
        IsInitialized = false;
        return TResult.ResultOk;
    }

    public int GetParameterCount() => Parameters.Count;

    public int GetParameterInfo(int index, out ParameterInfo info)
    {
        if ((uint)index >= (uint)Parameters.Count) { info = default; return TResult.InvalidArgument; }
        Parameters[index].GetInfo(out info);
        return TResult.ResultOk;
    }

    /// <summary>Writes the value text into <paramref name="destination"/> (no allocation).</summary>
    public int GetParamStringByValue(uint id, double normalized, Span<char> destination, out int written)
    {
        written = 0;
        if (!Parameters.TryGet(id, out var p) || double.IsNaN(normalized)) return TResult.InvalidArgument;
        return p.TryFormat(Math.Clamp(normalized, 0, 1), destination, out written) ? TResult.ResultOk : TResult.InvalidArgument;
    }

    public int GetParamStringByValue(uint id, double normalized, out string text)
    {
        Span<char> buffer = stackalloc char[AudioParameter.MaxTextLength];
        int r = GetParamStringByValue(id, normalized, buffer, out int n);
        text = r == TResult.ResultOk ? new string(buffer[..n]) : string.Empty;
        return r;
    }

    /// <summary>Parses the host's text (no allocation).</summary>
    public int GetParamValueByString(uint id, ReadOnlySpan<char> text, out double normalized)
    {
        normalized = 0;
        if (!Parameters.TryGet(id, out var p)) return TResult.InvalidArgument;
        return p.TryParse(text, out normalized) ? TResult.ResultOk : TResult.ResultFalse;
    }

    public int GetParamValueByString(uint id, string text, out double normalized) =>
        GetParamValueByString(id, text.AsSpan(), out normalized);

    /// <summary>Unknown ids answer 0 (the ABI has no error channel for these).</summary>
    public double NormalizedParamToPlain(uint id, double normalized) => Parameters.TryGet(id, out var p) ? p.ToPlain(normalized) : 0;

    public double PlainParamToNormalized(uint id, double plain) => Parameters.TryGet(id, out var p) ? p.ToNormalized(plain) : 0;

    public double GetParamNormalized(uint id) => Parameters.TryGetIndex(id, out int i) ? _values[i] : 0;

    /// <summary>Sets a value from the host; never echoed back through the component handler. NaN is refused, out-of-range clamped.</summary>
    public int SetParamNormalized(uint id, double normalized)
    {
        if (!Parameters.TryGetIndex(id, out int i) || double.IsNaN(normalized)) return TResult.InvalidArgument;
        _values[i] = Math.Clamp(normalized, 0.0, 1.0);
        return TResult.ResultOk;
    }

    public int SetComponentHandler(IComponentHandlerSink? handler)
    {
        ComponentHandler = handler;
        return TResult.ResultOk;
    }

    // The hook decodes into the live values only when the whole blob is valid (all or nothing).
    public int SetComponentState(Stream stream) => ReadState(stream, StateKind.Component);

    public int SetState(Stream stream) => ReadState(stream, StateKind.Own);

    // The component-state hook decodes into the live values only when the whole blob is valid (all or nothing).
    private protected override bool ReadStateCore(StateKind kind, Stream stream) =>
        kind == StateKind.Component ? OnSetComponentState(stream, _values) : OnReadState(stream);

    public int GetState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        OnWriteState(stream);
        return TResult.ResultOk;
    }

    // ---- helpers for user edits (UI thread) -----------------------------------------------------

    /// <summary>A user edit: updates the value and tells the host (begin/perform/end).</summary>
    protected void EditParameter(uint id, double normalized)
    {
        if (!Parameters.TryGetIndex(id, out int i)) throw new ArgumentOutOfRangeException(nameof(id));
        if (!double.IsNaN(normalized)) _values[i] = Math.Clamp(normalized, 0.0, 1.0);
        var h = ComponentHandler;
        if (h is null) return;
        h.BeginEdit(id);
        h.PerformEdit(id, _values[i]);
        h.EndEdit(id);
    }

    protected int RestartComponent(int flags) => ComponentHandler?.RestartComponent(flags) ?? TResult.ResultFalse;
}
