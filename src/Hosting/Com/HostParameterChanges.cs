using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Hosting.Com;

/// <summary>
/// Host-side <c>IParamValueQueue</c>: points (sampleOffset, normalized value) kept sorted by offset; a point at an
/// existing offset replaces it (the SDK's rule). Capacity is fixed at construction so the audio thread never allocates.
/// </summary>
public sealed unsafe class HostParamValueQueue : HostList
{
    private readonly int[] _offsets;
    private readonly double[] _values;

    public HostParamValueQueue(int capacity) : base(s_interfaces)
    {
        _offsets = new int[capacity];
        _values = new double[capacity];
    }

    public uint ParameterId { get; private set; } = uint.MaxValue;

    public int PointCount => Count;

    public int Capacity => _offsets.Length;

    public void Reset(uint parameterId)
    {
        ParameterId = parameterId;
        Count = 0;
    }

    public (int SampleOffset, double Value) GetPoint(int index) => (_offsets[index], _values[index]);

    /// <summary>Adds or replaces a point; returns its index, or -1 when the queue is full.</summary>
    public int AddPoint(int sampleOffset, double value)
    {
        int count = Count;
        int i = 0;
        while (i < count && _offsets[i] < sampleOffset) i++;
        if (i < count && _offsets[i] == sampleOffset)
        {
            _values[i] = value;
            return i;
        }
        if (count == _offsets.Length) return -1;
        for (int j = count; j > i; j--)
        {
            _offsets[j] = _offsets[j - 1];
            _values[j] = _values[j - 1];
        }
        _offsets[i] = sampleOffset;
        _values[i] = value;
        Count = count + 1;
        return i;
    }

    /// <summary>The last value of the block, or <paramref name="fallback"/> when the queue has no point.</summary>
    public double LastValueOr(double fallback) => Count == 0 ? fallback : _values[Count - 1];

    private int ReadPoint(int index, int* sampleOffset, double* value)
    {
        if ((uint)index >= (uint)Count) return TResult.InvalidArgument;
        if (sampleOffset != null) *sampleOffset = _offsets[index];
        if (value != null) *value = _values[index];
        return TResult.ResultOk;
    }

    private int AddPoint(int sampleOffset, double value, int* index)
    {
        int i = AddPoint(sampleOffset, value);
        if (index != null) *index = i;
        return i < 0 ? TResult.OutOfMemory : TResult.ResultOk;
    }

    // ---- IParamValueQueue --------------------------------------------------------------------------

    private static readonly ComInterface[] s_interfaces =
    [
        new(CreateVtable(new IParamValueQueueVtbl
        {
            GetParameterId = &GetParameterIdThunk, GetPointCount = &CountThunk, GetPoint = &GetPointThunk, AddPoint = &AddPointThunk,
        }), Iids.IParamValueQueue),
    ];

    [UnmanagedCallersOnly]
    private static uint GetParameterIdThunk(void* self)
    {
        try { return TryFromThis<HostParamValueQueue>(self)?.ParameterId ?? ParamIds.NoParamId; }
        catch { return ParamIds.NoParamId; }
    }

    [UnmanagedCallersOnly]
    private static int GetPointThunk(void* self, int index, int* sampleOffset, double* value)
    {
        try { return TryFromThis<HostParamValueQueue>(self)?.ReadPoint(index, sampleOffset, value) ?? TResult.InvalidArgument; }
        catch (Exception e) { return TResult.FromException(e); }
    }

    [UnmanagedCallersOnly]
    private static int AddPointThunk(void* self, int sampleOffset, double value, int* index)
    {
        try { return TryFromThis<HostParamValueQueue>(self)?.AddPoint(sampleOffset, value, index) ?? TResult.InvalidArgument; }
        catch (Exception e) { return TResult.FromException(e); }
    }
}

/// <summary>
/// Host-side <c>IParameterChanges</c> with a fixed pool of queues, reused block after block (no allocation after
/// construction). Used both for input changes the host sends and output changes the plugin writes.
/// </summary>
public sealed unsafe class HostParameterChanges : HostList
{
    private readonly HostParamValueQueue[] _queues;

    public HostParameterChanges(int maxParameters = 64, int maxPointsPerParameter = 64)
        : base(s_interfaces)
    {
        _queues = new HostParamValueQueue[maxParameters];
        for (int i = 0; i < maxParameters; i++)
            _queues[i] = new HostParamValueQueue(maxPointsPerParameter);
    }

    public HostParamValueQueue this[int index] => (uint)index < (uint)Count ? _queues[index] : throw new ArgumentOutOfRangeException(nameof(index));

    public void Clear() => Count = 0;

    /// <summary>The queue for a parameter, created (from the pool) if absent; null when the pool is exhausted.</summary>
    public HostParamValueQueue? GetOrAdd(uint parameterId, out int index)
    {
        for (int i = 0; i < Count; i++)
        {
            if (_queues[i].ParameterId == parameterId)
            {
                index = i;
                return _queues[i];
            }
        }
        if (Count == _queues.Length)
        {
            index = -1;
            return null;
        }
        index = Count;
        var q = _queues[Count++];
        q.Reset(parameterId);
        return q;
    }

    /// <summary>Queues a point for a parameter; false when a pool limit is hit.</summary>
    public bool AddPoint(uint parameterId, int sampleOffset, double value)
        => GetOrAdd(parameterId, out _)?.AddPoint(sampleOffset, value) >= 0;

    /// <summary>Finds the queue of a parameter written during the last block, or null.</summary>
    public HostParamValueQueue? Find(uint parameterId)
    {
        for (int i = 0; i < Count; i++)
            if (_queues[i].ParameterId == parameterId) return _queues[i];
        return null;
    }

    protected override void OnFinalRelease()
    {
        foreach (var q in _queues) q.Release();
    }

    // ---- IParameterChanges -------------------------------------------------------------------------

    private static readonly ComInterface[] s_interfaces =
    [
        new(CreateVtable(new IParameterChangesVtbl
        {
            GetParameterCount = &CountThunk, GetParameterData = &GetParameterDataThunk, AddParameterData = &AddParameterDataThunk,
        }), Iids.IParameterChanges),
    ];

    // Like the SDK, the returned queue is borrowed for the duration of process(): no addRef.
    [UnmanagedCallersOnly]
    private static void* GetParameterDataThunk(void* self, int index)
    {
        try { return TryFromThis<HostParameterChanges>(self) is { } c && (uint)index < (uint)c.Count ? (void*)c._queues[index].Pointer : null; }
        catch { return null; }
    }

    [UnmanagedCallersOnly]
    private static void* AddParameterDataThunk(void* self, uint* id, int* index)
    {
        try
        {
            var c = TryFromThis<HostParameterChanges>(self);
            if (index != null) *index = -1;
            if (c == null || id == null) return null;
            var q = c.GetOrAdd(*id, out int i);
            if (index != null) *index = i;
            return q == null ? null : (void*)q.Pointer;
        }
        catch { return null; }
    }
}
