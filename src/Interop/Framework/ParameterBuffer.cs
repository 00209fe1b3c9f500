using NPlug.Buffers.Interop.Api;

namespace NPlug.Buffers.Interop.Framework;

/// <summary>
/// A processor's parameter traffic for one host block, preallocated from the model: the host's points per parameter
/// (normalized, block offsets), values that changed outside a processed block (pending until the next one), and the
/// points of the slice being rendered in plain units. Audio thread only after construction; no allocation.
/// </summary>
internal sealed class ParameterBuffer
{
    /// <summary>Host points kept per block over all parameters; beyond it, each queue still keeps its last point.</summary>
    public const int PointBudget = 256;

    private readonly ParameterList _parameters;
    // The list as an array (read per point without the list's indexer), and per parameter whether host points are
    // taken (false for read-only ones).
    private readonly AudioParameter[] _byIndex;
    private readonly bool[] _writable;
    private readonly int _perParameter;
    // Host points of this block, flat: parameter i owns [_hostStart[i], _hostStart[i] + _hostCount[i]).
    private readonly int[] _hostOffsets = new int[PointBudget];
    private readonly double[] _hostValues = new double[PointBudget];
    private readonly int[] _hostStart;
    private readonly int[] _hostCount;
    private int _hostUsed;
    private readonly bool[] _pending;
    // True while any _pending flag may be set (cleared by BuildSlice and Reset): lets a block without parameter
    // traffic skip BuildSlice's per-parameter loop.
    private bool _anyPending;
    // Points of the slice being rendered, flat: parameter i owns [_start[i], _start[i] + _count[i]).
    private readonly ParameterPoint[] _points;
    private readonly int[] _start;
    private readonly int[] _count;
    private int _seenGeneration;

    public ParameterBuffer(ParameterStore store, int pointsPerParameter)
    {
        Store = store;
        _parameters = store.Parameters;
        int n = _parameters.Count;
        _perParameter = Math.Clamp(pointsPerParameter, 2, PointBudget);
        _hostStart = new int[n];
        _hostCount = new int[n];
        _pending = new bool[n];
        _byIndex = new AudioParameter[n];
        _writable = new bool[n];
        for (int i = 0; i < n; i++)
        {
            _byIndex[i] = _parameters[i];
            _writable[i] = !_parameters[i].IsReadOnly;
        }
        // Every host point, plus the two edge points each parameter may get, plus one pending point each.
        _points = new ParameterPoint[PointBudget + 3 * n];
        _start = new int[n];
        _count = new int[n];
    }

    public ParameterStore Store { get; }

    /// <summary>Points dropped because a queue or the block exceeded its budget (each queue's last point is always kept).</summary>
    public long DroppedPoints { get; private set; }

    public bool AnyChanged { get; private set; }

    /// <summary>Host points for the parameter in this block, or a value waiting to reach the DSP.</summary>
    public bool HostChanged(int index) => (uint)index < (uint)_hostCount.Length && (_hostCount[index] > 0 || _pending[index]);

    public int PointCount(int index) => (uint)index < (uint)_count.Length ? _count[index] : 0;

    public double LastPlain(int index) => _points[_start[index] + _count[index] - 1].Plain;

    public ReadOnlySpan<ParameterPoint> Points(int index) =>
        (uint)index < (uint)_count.Length ? _points.AsSpan(_start[index], _count[index]) : default;

    /// <summary>Forget everything pending (activation: the DSP starts from the store's values).</summary>
    public void Reset()
    {
        Array.Clear(_pending);
        Array.Clear(_hostCount);
        Array.Clear(_count);
        _hostUsed = 0;
        _anyPending = false;
        AnyChanged = false;
        _seenGeneration = Store.Generation;
    }

    /// <summary>
    /// Reads this block's queues: every finite point (clamped to [0, 1], offset clamped into the block) is kept for the
    /// slices, and the store takes each queue's last value. A state load since the last block marks every parameter
    /// pending. Read-only parameters and unknown ids are ignored.
    /// </summary>
    public void ReadHostBlock(ParameterChangesReader changes, int frames)
    {
        if (_hostUsed > 0) Array.Clear(_hostCount);
        _hostUsed = 0;
        int generation = Store.Generation;
        if (generation != _seenGeneration)
        {
            // A state load replaced the values: every parameter moves to its new value at the next block.
            _seenGeneration = generation;
            Array.Fill(_pending, true);
            _anyPending = true;
        }

        int queues = changes.Count;
        for (int q = 0; q < queues; q++)
        {
            var queue = changes[q];
            if (!queue.IsAvailable || !_parameters.TryGetIndex(queue.ParameterId, out int index) || !_writable[index]) continue;
            int points = queue.PointCount;
            double last = double.NaN;
            int start = _hostUsed;
            int kept = 0;
            for (int p = 0; p < points; p++)
            {
                if (!queue.TryGetPoint(p, out int offset, out double value) || !double.IsFinite(value)) continue;
                value = Math.Clamp(value, 0, 1);
                int slot = start + kept;
                // Full: keep the newest in the last slot, it is the value the block ends on.
                if (kept == _perParameter || slot == PointBudget) { slot--; DroppedPoints++; }
                else kept++;
                last = value;
                if (slot < start) continue; // the block's budget was used up before this queue (counted above)
                _hostOffsets[slot] = frames > 0 ? Math.Clamp(offset, 0, frames - 1) : 0;
                _hostValues[slot] = value;
            }
            if (double.IsNaN(last)) continue;
            Store.SetInRange(index, last); // finite and clamped above: the indexer's sanitizing would change nothing
            if (kept == 0)
            {
                _pending[index] = true; // no room for its points: the value still applies, from the block's start
                _anyPending = true;
                continue;
            }
            _hostStart[index] = start;
            _hostCount[index] = kept;
            _hostUsed = start + kept;
        }
    }

    /// <summary>No block renders the host's points (a flush, no output buffers): they start the next rendered block.</summary>
    public void DeferHostPoints()
    {
        if (_hostUsed == 0) return;
        for (int i = 0; i < _hostCount.Length; i++)
        {
            if (_hostCount[i] > 0) _pending[i] = true;
            _hostCount[i] = 0;
        }
        _anyPending = true;
        _hostUsed = 0;
    }

    /// <summary>
    /// The points of frames [start, start + length) in plain units, offsets relative to the slice; a pending value
    /// the host's points do not cover becomes a point at offset 0 of the first slice that renders. A ramp between two
    /// host points that crosses the slice's edges gets points at the edges, interpolated linearly in normalized units
    /// as VST3 defines the ramp, so the slice continues the same line.
    /// </summary>
    public void BuildSlice(int start, int length)
    {
        if (_hostUsed == 0 && !_anyPending)
        {
            // No host points and nothing pending: every parameter's slice is empty (the common static block).
            if (AnyChanged) Array.Clear(_count);
            AnyChanged = false;
            return;
        }
        bool any = false;
        int end = start + length;
        int used = 0;
        for (int i = 0; i < _count.Length; i++)
        {
            int n = 0;
            _start[i] = used;
            int hostCount = _hostCount[i];
            if (hostCount > 0)
            {
                var parameter = _byIndex[i];
                int at = _hostStart[i];
                int first = 0;
                while (first < hostCount && _hostOffsets[at + first] < start) first++;
                int last = first;
                while (last < hostCount && _hostOffsets[at + last] < end) last++;
                // A ramp that began before this slice: its value at the slice's first frame.
                if (first > 0 && (first == hostCount || _hostOffsets[at + first] > start))
                    _points[used + n++] = new ParameterPoint(0, parameter.ToPlain(Interpolate(at, first - 1, Math.Min(first, hostCount - 1), start)));
                // Host values were clamped to [0, 1] when read: no second sanitizing.
                for (int p = first; p < last; p++)
                    _points[used + n++] = new ParameterPoint(_hostOffsets[at + p] - start, parameter.ToPlainInRange(_hostValues[at + p]));
                // A ramp that goes on past this slice: its value at the slice's last frame.
                if (last < hostCount && last > 0 && (n == 0 || _points[used + n - 1].Offset < length - 1))
                    _points[used + n++] = new ParameterPoint(length - 1, parameter.ToPlain(Interpolate(at, last - 1, last, end - 1)));
            }
            if (_pending[i])
            {
                _pending[i] = false;
                if (n == 0) _points[used + n++] = new ParameterPoint(0, Store.GetPlain(i));
            }
            _count[i] = n;
            used += n;
            any |= n > 0;
        }
        _anyPending = false; // the loop above cleared every pending flag
        AnyChanged = any;
    }

    // Normalized value at frame t on the line from host point a to host point b (held past b).
    private double Interpolate(int at, int a, int b, int t)
    {
        int oa = _hostOffsets[at + a], ob = _hostOffsets[at + b];
        double va = _hostValues[at + a], vb = _hostValues[at + b];
        if (ob <= oa || t >= ob) return vb;
        if (t <= oa) return va;
        return va + (vb - va) * (t - oa) / (ob - oa);
    }

    /// <summary>A block without parameter points (events only).</summary>
    public void ClearSlice()
    {
        Array.Clear(_count);
        AnyChanged = false;
    }
}
