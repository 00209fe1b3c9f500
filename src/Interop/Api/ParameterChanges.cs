using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Interop.Api;

/// <summary>
/// Reads the host's <c>IParameterChanges</c> for this block. A null list (optional in VST3) reads as
/// "count 0". Only valid during the process call that produced it.
/// </summary>
public readonly unsafe ref struct ParameterChangesReader
{
    private readonly void* _changes;

    public ParameterChangesReader(void* parameterChanges) => _changes = parameterChanges;

    public bool IsAvailable => _changes != null;

    public int Count => _changes == null ? 0 : Math.Max(0, Vtbl.Of<IParameterChangesVtbl>(_changes)->GetParameterCount(_changes));

    /// <summary>The queue at <paramref name="index"/>; an empty queue (no points) when out of range or null.</summary>
    public ParamValueQueueReader this[int index]
    {
        get
        {
            if (_changes == null || index < 0) return default;
            return new ParamValueQueueReader(Vtbl.Of<IParameterChangesVtbl>(_changes)->GetParameterData(_changes, index));
        }
    }
}

/// <summary>
/// One parameter's automation for this block: points (sample offset, normalized value) describing a
/// piece-wise linear segment. A queue may have no points; the point at offset 0 may be missing.
/// </summary>
public readonly unsafe ref struct ParamValueQueueReader
{
    private readonly void* _queue;

    public ParamValueQueueReader(void* queue) => _queue = queue;

    public bool IsAvailable => _queue != null;

    /// <summary><see cref="ParamIds.NoParamId"/> for a null queue.</summary>
    public uint ParameterId => _queue == null ? ParamIds.NoParamId : Vtbl.Of<IParamValueQueueVtbl>(_queue)->GetParameterId(_queue);

    public int PointCount => _queue == null ? 0 : Math.Max(0, Vtbl.Of<IParamValueQueueVtbl>(_queue)->GetPointCount(_queue));

    /// <summary>Reads a point; false (and zeros) when the host refuses or the index is out of range.</summary>
    public bool TryGetPoint(int index, out int sampleOffset, out double value)
    {
        int offset = 0;
        double v = 0;
        bool ok = _queue != null && index >= 0 &&
                  Vtbl.Of<IParamValueQueueVtbl>(_queue)->GetPoint(_queue, index, &offset, &v) == TResult.ResultOk;
        sampleOffset = ok ? offset : 0;
        value = ok ? v : 0;
        return ok;
    }

    /// <summary>The value at the end of the block (the last point): the simple, non-sample-accurate reading.</summary>
    public bool TryGetLastPoint(out int sampleOffset, out double value) => TryGetPoint(PointCount - 1, out sampleOffset, out value);
}

/// <summary>
/// Writes to the host's optional output <c>IParameterChanges</c> (e.g. a meter value). Every call is a
/// no-op returning false when the host gave no list, which is the common case.
/// </summary>
public readonly unsafe ref struct ParameterChangesWriter
{
    private readonly void* _changes;

    public ParameterChangesWriter(void* parameterChanges) => _changes = parameterChanges;

    public bool IsAvailable => _changes != null;

    public bool TryAddPoint(uint parameterId, int sampleOffset, double normalizedValue)
    {
        if (_changes == null) return false;
        int queueIndex = 0;
        void* queue = Vtbl.Of<IParameterChangesVtbl>(_changes)->AddParameterData(_changes, &parameterId, &queueIndex);
        if (queue == null) return false;
        int pointIndex = 0;
        return Vtbl.Of<IParamValueQueueVtbl>(queue)->AddPoint(queue, sampleOffset, normalizedValue, &pointIndex) == TResult.ResultOk;
    }
}
