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

    public ParameterList Parameters { get; } = new();

    /// <summary>Declared units beyond the implicit root unit (id 0).</summary>
    public IReadOnlyList<UnitDescription> Units => _units;

    public bool IsInitialized { get; private set; }

    /// <summary>The host's handler, once set (null before <c>setComponentHandler</c> and after terminate).</summary>
    protected IComponentHandlerSink? ComponentHandler { get; private set; }

    // ---- hooks -------------------------------------------------------------------------------

    /// <summary>Declares the parameters. Called on every <see cref="Initialize"/>, with an empty list.</summary>
    protected abstract void ConfigureParameters(ParameterList parameters);

    /// <summary>Declares units (ids &gt; 0) referenced by <see cref="Parameter.UnitId"/>.</summary>
    protected virtual void ConfigureUnits(ICollection<UnitDescription> units) { }

    protected virtual void OnInitialize() { }

    protected virtual void OnTerminate() { }

    /// <summary>
    /// Reads the processor's state (as written by <c>AudioProcessor.OnWriteState</c>) and sets the
    /// parameters' normalized values to match. Throw <see cref="InvalidDataException"/> on garbage.
    /// </summary>
    protected virtual void OnSetComponentState(Stream stream) { }

    /// <summary>Controller-only state (e.g. UI settings).</summary>
    protected virtual void OnWriteState(Stream stream) { }

    protected virtual void OnReadState(Stream stream) { }

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
        ComponentStateCapacity = Math.Max(0, MaxComponentStateSize);
        StateCapacity = Math.Max(0, MaxStateSize);
        if (_componentStateBuffer is null || _componentStateBuffer.Capacity != ComponentStateCapacity)
            _componentStateBuffer = ComponentStateCapacity > 0 ? new StateBuffer(ComponentStateCapacity) : null;
        if (_stateBuffer is null || _stateBuffer.Capacity != StateCapacity)
            _stateBuffer = StateCapacity > 0 ? new StateBuffer(StateCapacity) : null;
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

    /// <summary>
    /// <c>getParamStringByValue</c>: formats into <paramref name="destination"/> (the caller's <c>String128</c>, without
    /// room for the NUL) through <see cref="Parameter.TryFormat"/>; allocation-free when the parameter's is.
    /// kResultFalse when the text does not fit; kInvalidArgument for an unknown id or NaN.
    /// </summary>
    public int GetParamStringByValue(uint id, double normalized, Span<char> destination, out int written)
    {
        written = 0;
        if (!Parameters.TryGet(id, out var p) || double.IsNaN(normalized)) return TResult.InvalidArgument;
        if (!p.TryFormat(Math.Clamp(normalized, 0, 1), destination, out written)) { written = 0; return TResult.ResultFalse; }
        return TResult.ResultOk;
    }

    /// <summary>String convenience over the span entry point (allocates; tests and tools).</summary>
    public int GetParamStringByValue(uint id, double normalized, out string text)
    {
        Span<char> buffer = stackalloc char[Abi.String128.Length - 1];
        int r = GetParamStringByValue(id, normalized, buffer, out int written);
        text = r == TResult.ResultOk ? new string(buffer[..written]) : string.Empty;
        return r;
    }

    /// <summary><c>getParamValueByString</c>: parses the caller's text in place through <see cref="Parameter.TryParse(ReadOnlySpan{char}, out double)"/>.</summary>
    public int GetParamValueByString(uint id, ReadOnlySpan<char> text, out double normalized)
    {
        normalized = 0;
        if (!Parameters.TryGet(id, out var p)) return TResult.InvalidArgument;
        return p.TryParse(text, out normalized) ? TResult.ResultOk : TResult.ResultFalse;
    }

    public int GetParamValueByString(uint id, string text, out double normalized) =>
        GetParamValueByString(id, (text ?? string.Empty).AsSpan(), out normalized);

    /// <summary>Unknown ids answer 0 (the ABI has no error channel for these).</summary>
    public double NormalizedParamToPlain(uint id, double normalized) => Parameters.TryGet(id, out var p) ? p.ToPlain(normalized) : 0;

    public double PlainParamToNormalized(uint id, double plain) => Parameters.TryGet(id, out var p) ? p.ToNormalized(plain) : 0;

    public double GetParamNormalized(uint id) => Parameters.TryGet(id, out var p) ? p.NormalizedValue : 0;

    /// <summary>Sets a value from the host; never echoed back through the component handler.</summary>
    public int SetParamNormalized(uint id, double normalized)
    {
        if (!Parameters.TryGet(id, out var p) || double.IsNaN(normalized)) return TResult.InvalidArgument;
        p.NormalizedValue = normalized;
        return TResult.ResultOk;
    }

    public int SetComponentHandler(IComponentHandlerSink? handler)
    {
        ComponentHandler = handler;
        return TResult.ResultOk;
    }

    public int SetComponentState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            if (ComponentStateCapacity > 0)
            {
                var buffer = _componentStateBuffer!.Rent();
                try
                {
                    int read = StateBuffer.Fill(stream, buffer, out long start);
                    if (!TryReadComponentState(buffer.AsSpan(0, read), out int consumed)) return TResult.ResultFalse;
                    StateBuffer.Reposition(stream, start, read, consumed);
                    return TResult.ResultOk;
                }
                finally { _componentStateBuffer.Return(buffer); }
            }
            OnSetComponentState(stream);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException)
        {
            return TResult.ResultFalse;
        }
        return TResult.ResultOk;
    }

    public int SetState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            if (StateCapacity > 0)
            {
                var buffer = _stateBuffer!.Rent();
                try
                {
                    int read = StateBuffer.Fill(stream, buffer, out long start);
                    if (!TryReadState(buffer.AsSpan(0, read), out int consumed)) return TResult.ResultFalse;
                    StateBuffer.Reposition(stream, start, read, consumed);
                    return TResult.ResultOk;
                }
                finally { _stateBuffer.Return(buffer); }
            }
            OnReadState(stream);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException)
        {
            return TResult.ResultFalse;
        }
        return TResult.ResultOk;
    }

    public int GetState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (StateCapacity > 0)
        {
            var buffer = _stateBuffer!.Rent();
            try
            {
                if (!TryWriteState(buffer, out int written)) return TResult.ResultFalse;
                stream.Write(buffer.AsSpan(0, Math.Clamp(written, 0, buffer.Length)));
                return TResult.ResultOk;
            }
            finally { _stateBuffer.Return(buffer); }
        }
        OnWriteState(stream);
        return TResult.ResultOk;
    }

    // ---- span-based state (preallocated per instance) -------------------------------------------------------------

    private StateBuffer? _stateBuffer;
    private StateBuffer? _componentStateBuffer;

    /// <summary>
    /// Upper bound, in bytes, of the processor state this controller reads in <c>setComponentState</c>. When above 0
    /// (default 0: the <see cref="OnSetComponentState(Stream)"/> hook), one buffer of this size is made at
    /// <see cref="Initialize"/> and <see cref="TryReadComponentState"/> is called instead: no allocation per call.
    /// </summary>
    protected virtual int MaxComponentStateSize => 0;

    /// <summary>Upper bound of the controller's own state; above 0 selects <see cref="TryWriteState"/>/<see cref="TryReadState"/>.</summary>
    protected virtual int MaxStateSize => 0;

    /// <summary>The capacities fixed at <see cref="Initialize"/> (0 = stream hooks).</summary>
    public int ComponentStateCapacity { get; private set; }

    public int StateCapacity { get; private set; }

    /// <summary>
    /// Reads the processor's state from <paramref name="source"/> (what the host's stream held, up to
    /// <see cref="MaxComponentStateSize"/> bytes; it may continue past the blob) and reports how many bytes the blob
    /// took (the stream is left just past them). False refuses the state (kResultFalse) and must leave every value as it was.
    /// </summary>
    protected virtual bool TryReadComponentState(ReadOnlySpan<byte> source, out int consumed) { consumed = 0; return true; }

    /// <summary>Writes the controller's state into <paramref name="destination"/> (<see cref="MaxStateSize"/> bytes).</summary>
    protected virtual bool TryWriteState(Span<byte> destination, out int written) { written = 0; return true; }

    /// <summary>Reads the controller's own state (as <see cref="TryReadComponentState"/>).</summary>
    protected virtual bool TryReadState(ReadOnlySpan<byte> source, out int consumed) { consumed = 0; return true; }

    // ---- helpers for user edits (UI thread) -----------------------------------------------------

    /// <summary>A user edit: updates the value and tells the host (begin/perform/end).</summary>
    protected void EditParameter(uint id, double normalized)
    {
        if (!Parameters.TryGet(id, out var p)) throw new ArgumentOutOfRangeException(nameof(id));
        p.NormalizedValue = normalized;
        var h = ComponentHandler;
        if (h is null) return;
        h.BeginEdit(id);
        h.PerformEdit(id, p.NormalizedValue);
        h.EndEdit(id);
    }

    protected int RestartComponent(int flags) => ComponentHandler?.RestartComponent(flags) ?? TResult.ResultFalse;

}
