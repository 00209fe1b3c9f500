using System.Runtime.CompilerServices;

namespace NPlug.Buffers.Chain;

/// <summary>One point of a parameter queue: the value the curve passes through at a sample of the block.</summary>
public readonly record struct AutomationPoint(int SampleOffset, double Value);

/// <summary>Frames [Start, End) of a block inside which every parameter is linear (or constant).</summary>
public readonly record struct AutomationSegment(int Start, int End)
{
    public int Length => End - Start;
}

/// <summary>
/// Turns per-parameter change queues (as VST3's IParamValueQueue defines them) into segments of one block.
/// </summary>
/// <remarks>
/// <para>Curve model per parameter: the value at sample 0 is the previous block's last value unless a point sits
/// at offset 0; between points the value is linear; after the last point it is constant; no points means constant.
/// Several points at one offset form a step: the ramp arrives at the first, the last holds from that sample on.</para>
/// <para>The block is split at every offset where any parameter has a point, so inside a segment every parameter
/// is a straight line and <see cref="StartValue"/>/<see cref="EndValue"/> describe it completely.</para>
/// <para>All storage is allocated in the constructor. Bad input is repaired, never thrown on:
/// offsets are clamped to [0, frameCount-1]; an offset earlier than the previous point's is moved up to it
/// (the host broke the ordering contract; a step there is the least surprising reading); non-finite values are
/// dropped. When a parameter already holds <see cref="MaxPointsPerParameter"/> points, a further point replaces
/// the last stored one: the curve gets coarser but still ends on the host's final value.</para>
/// </remarks>
public sealed class AutomationSegments
{
    private readonly AutomationPoint[] _points;   // parameter p owns [p * _maxPoints, (p + 1) * _maxPoints)
    private readonly int[] _counts;
    private readonly double[] _current;
    private readonly int[] _droppedOrMerged;
    private readonly AutomationSegment[] _segments;
    private readonly int[] _cursor;               // per parameter: index of the next point at or after a boundary
    private readonly int[] _lastHint;             // per parameter: the index LastAtOrBefore found last time (a guess, checked)
    private readonly int _maxPoints;
    private int _frameCount;
    private int _segmentCount;
    private bool _anyPoints; // a point was added since Begin: counts and repairs need clearing, segments building

    public AutomationSegments(int parameterCount, int maxPointsPerParameter)
    {
        if (parameterCount <= 0) throw new ArgumentOutOfRangeException(nameof(parameterCount));
        if (maxPointsPerParameter <= 0) throw new ArgumentOutOfRangeException(nameof(maxPointsPerParameter));
        ParameterCount = parameterCount;
        _maxPoints = maxPointsPerParameter;
        _points = new AutomationPoint[parameterCount * maxPointsPerParameter];
        _counts = new int[parameterCount];
        _current = new double[parameterCount];
        _droppedOrMerged = new int[parameterCount];
        _cursor = new int[parameterCount];
        _lastHint = new int[parameterCount];
        // Every distinct offset opens at most one segment, plus the segment that starts at 0.
        _segments = new AutomationSegment[parameterCount * maxPointsPerParameter + 1];
    }

    public int ParameterCount { get; }

    public int MaxPointsPerParameter => _maxPoints;

    public int FrameCount => _frameCount;

    public int SegmentCount => _segmentCount;

    public ReadOnlySpan<AutomationSegment> Segments => new(_segments, 0, _segmentCount);

    /// <summary>Starts a block: forgets all points, keeps the current values.</summary>
    public void Begin(int frameCount)
    {
        _frameCount = Math.Max(0, frameCount);
        // A block without points (the common static case) left nothing to clear.
        if (_anyPoints)
        {
            Array.Clear(_counts);
            Array.Clear(_droppedOrMerged);
            _anyPoints = false;
        }
        _segmentCount = 0;
    }

    /// <summary>The value a parameter had at the end of the previous block (the ramp start if offset 0 is omitted).</summary>
    public void SetCurrent(int parameter, double value)
    {
        if ((uint)parameter >= (uint)ParameterCount) return;
        if (double.IsFinite(value)) _current[parameter] = value;
    }

    public double GetCurrent(int parameter) => (uint)parameter < (uint)ParameterCount ? _current[parameter] : 0;

    /// <summary>Appends a point in queue order. Returns false when the point was dropped or merged (see remarks).</summary>
    public bool AddPoint(int parameter, int sampleOffset, double value)
    {
        if ((uint)parameter >= (uint)ParameterCount || !double.IsFinite(value)) return false;
        _anyPoints = true;
        int offset = Math.Clamp(sampleOffset, 0, Math.Max(0, _frameCount - 1));
        int count = _counts[parameter];
        int baseIndex = parameter * _maxPoints;
        bool accepted = offset == sampleOffset;
        if (count > 0)
        {
            int previous = _points[baseIndex + count - 1].SampleOffset;
            if (offset < previous)
            {
                offset = previous;
                accepted = false;
            }
        }
        if (count == _maxPoints)
        {
            _points[baseIndex + count - 1] = new AutomationPoint(offset, value);
            _droppedOrMerged[parameter]++;
            return false;
        }
        _points[baseIndex + count] = new AutomationPoint(offset, value);
        _counts[parameter] = count + 1;
        if (!accepted) _droppedOrMerged[parameter]++;
        return accepted;
    }

    /// <summary>Sets a whole queue at once: current value plus its points.</summary>
    public void SetParameter(int parameter, double currentValue, ReadOnlySpan<AutomationPoint> points)
    {
        if ((uint)parameter >= (uint)ParameterCount) return;
        SetCurrent(parameter, currentValue);
        _counts[parameter] = 0;
        for (int i = 0; i < points.Length; i++) AddPoint(parameter, points[i].SampleOffset, points[i].Value);
    }

    public int PointCount(int parameter) => (uint)parameter < (uint)ParameterCount ? _counts[parameter] : 0;

    public ReadOnlySpan<AutomationPoint> Points(int parameter) =>
        (uint)parameter < (uint)ParameterCount
            ? new ReadOnlySpan<AutomationPoint>(_points, parameter * _maxPoints, _counts[parameter])
            : ReadOnlySpan<AutomationPoint>.Empty;

    /// <summary>How many points of this block were clamped, reordered or merged because of capacity.</summary>
    public int RepairedPointCount(int parameter) => (uint)parameter < (uint)ParameterCount ? _droppedOrMerged[parameter] : 0;

    // Blocks up to this many frames find their boundaries in a stack bitmap (64 ulongs = 512 bytes); longer ones merge.
    private const int MaxBitmapFrames = 4096;

    /// <summary>Splits the block at the merged change points of all parameters. Returns the segment count.</summary>
    /// <remarks>
    /// The boundaries are the distinct point offsets after 0 (every offset is already clamped into the block). They are
    /// marked in a bitmap, one pass over the points, and read back in order: O(points + frames/64) instead of
    /// parameters × segments (24 × 17 probes for a GainEQ block with every band automated every 64 frames).
    /// </remarks>
    public int Build()
    {
        _segmentCount = 0;
        if (_frameCount == 0) return 0;
        if (!_anyPoints)
        {
            _segments[_segmentCount++] = new AutomationSegment(0, _frameCount);
            return _segmentCount;
        }
        if (_frameCount > MaxBitmapFrames) return BuildByMerge();

        int words = (_frameCount + 63) >> 6;
        Span<ulong> marks = stackalloc ulong[words]; // zeroed
        for (int p = 0; p < ParameterCount; p++)
        {
            int count = _counts[p];
            int baseIndex = p * _maxPoints;
            for (int i = 0; i < count; i++)
            {
                int offset = _points[baseIndex + i].SampleOffset;
                if ((uint)offset < (uint)_frameCount) marks[offset >> 6] |= 1UL << offset;
            }
        }
        marks[0] &= ~1UL; // a point at 0 opens no segment: the first one starts there anyway

        int start = 0;
        for (int w = 0; w < words; w++)
        {
            ulong m = marks[w];
            while (m != 0)
            {
                int end = (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(m);
                _segments[_segmentCount++] = new AutomationSegment(start, end);
                start = end;
                m &= m - 1;
            }
        }
        _segments[_segmentCount++] = new AutomationSegment(start, _frameCount);
        return _segmentCount;
    }

    /// <summary><see cref="Build"/> for blocks longer than <see cref="MaxBitmapFrames"/>: the smallest next offset over all parameters, repeatedly.</summary>
    private int BuildByMerge()
    {
        Array.Clear(_cursor);
        int start = 0;
        while (start < _frameCount)
        {
            // The next boundary is the smallest point offset strictly after `start` over all parameters.
            int end = _frameCount;
            for (int p = 0; p < ParameterCount; p++)
            {
                int count = _counts[p];
                int baseIndex = p * _maxPoints;
                int c = _cursor[p];
                while (c < count && _points[baseIndex + c].SampleOffset <= start) c++;
                _cursor[p] = c;
                if (c < count)
                {
                    int offset = _points[baseIndex + c].SampleOffset;
                    if (offset < end) end = offset;
                }
            }
            _segments[_segmentCount++] = new AutomationSegment(start, end);
            start = end;
        }
        return _segmentCount;
    }

    /// <summary>The exact value of a parameter's curve at a sample of this block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double ValueAt(int parameter, int sample)
    {
        if ((uint)parameter >= (uint)ParameterCount) return 0;
        // Inlined: most parameters have no points in most blocks, and the chain asks a dozen times per segment.
        return _counts[parameter] == 0 ? _current[parameter] : ValueOnCurve(parameter, sample);
    }

    private double ValueOnCurve(int parameter, int sample)
    {
        int count = _counts[parameter];
        double current = _current[parameter];
        var points = new ReadOnlySpan<AutomationPoint>(_points, parameter * _maxPoints, count);
        int last = LastAtOrBefore(parameter, points, sample);

        int fromOffset;
        double fromValue;
        if (last < 0)
        {
            fromOffset = 0;
            fromValue = current;
        }
        else
        {
            fromOffset = points[last].SampleOffset;
            fromValue = points[last].Value;
            if (fromOffset == sample || last == count - 1) return fromValue;
        }
        AutomationPoint to = points[last + 1];
        return Lerp(fromValue, to.Value, sample - fromOffset, to.SampleOffset - fromOffset);
    }

    /// <summary>
    /// The straight line a parameter follows inside a segment, found once (one binary search) and then evaluated per
    /// sample with exactly the arithmetic of <see cref="ValueAt"/>: <c>Line(p, s).At(n) == ValueAt(p, n)</c> bit for bit
    /// for every n in [s.Start, s.End).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ParameterLine Line(int parameter, in AutomationSegment segment)
    {
        if ((uint)parameter >= (uint)ParameterCount) return ParameterLine.Constant(0);
        int count = _counts[parameter];
        if (count == 0) return ParameterLine.Constant(_current[parameter]);
        var points = new ReadOnlySpan<AutomationPoint>(_points, parameter * _maxPoints, count);
        // No point lies strictly inside a segment, so the last point at or before its start serves every sample of it.
        int last = LastAtOrBefore(parameter, points, segment.Start);
        if (last < 0) return new ParameterLine(0, _current[parameter], points[0].SampleOffset, points[0].Value, exactAtFrom: false);
        if (last == count - 1) return ParameterLine.Constant(points[last].Value);
        return new ParameterLine(points[last].SampleOffset, points[last].Value, points[last + 1].SampleOffset, points[last + 1].Value, exactAtFrom: true);
    }

    /// <summary>Value at the first sample of a segment.</summary>
    /// <summary>
    /// Index of the last point with offset ≤ sample (−1: none); offsets are non-decreasing. The chain walks segments
    /// in order, so the answer is usually the previous answer or the one after it (checked, both neighbours); otherwise
    /// a binary search. Either way the same index: the last of any run of equal offsets.
    /// </summary>
    private int LastAtOrBefore(int parameter, ReadOnlySpan<AutomationPoint> points, int sample)
    {
        int count = points.Length;
        int hint = _lastHint[parameter];
        for (int guess = hint; guess <= hint + 1; guess++)
        {
            if (guess < -1 || guess >= count) continue;
            if ((guess < 0 || points[guess].SampleOffset <= sample) && (guess == count - 1 || points[guess + 1].SampleOffset > sample))
            {
                _lastHint[parameter] = guess;
                return guess;
            }
        }

        int lo = 0, hi = count - 1, last = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (points[mid].SampleOffset <= sample) { last = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        _lastHint[parameter] = last;
        return last;
    }

    public double StartValue(int parameter, in AutomationSegment segment) => ValueAt(parameter, segment.Start);

    /// <summary>Value at the last sample (End - 1) of a segment.</summary>
    public double EndValue(int parameter, in AutomationSegment segment) => ValueAt(parameter, segment.End - 1);

    /// <summary>True when the parameter changes inside the segment.</summary>
    public bool IsRamping(int parameter, in AutomationSegment segment) =>
        StartValue(parameter, segment) != EndValue(parameter, segment);

    /// <summary>The value at the block's last sample: what <see cref="SetCurrent"/> should receive for the next block.</summary>
    public double FinalValue(int parameter) => _frameCount == 0
        ? (PointCount(parameter) > 0 ? Points(parameter)[^1].Value : GetCurrent(parameter))
        : ValueAt(parameter, _frameCount - 1);

    /// <summary>Makes every parameter's final value the current value of the next block (call after processing).</summary>
    public void Commit()
    {
        // A parameter without points ends where it started.
        if (!_anyPoints) return;
        for (int p = 0; p < ParameterCount; p++)
            if (_counts[p] != 0) _current[p] = FinalValue(p);
    }

    /// <summary>Sub-blocks of at most <paramref name="maxLength"/> frames covering [start, end), for per-sub-block coefficient updates.</summary>
    public static SubBlockEnumerator SubBlocks(int start, int end, int maxLength = 32) => new(start, end, maxLength);

    /// <summary>Sub-blocks of at most <paramref name="maxLength"/> frames covering a segment.</summary>
    public static SubBlockEnumerator SubBlocks(in AutomationSegment segment, int maxLength = 32) =>
        new(segment.Start, segment.End, maxLength);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Lerp(double from, double to, int numerator, int denominator) =>
        from + (to - from) * ((double)numerator / denominator);
}

/// <summary>A parameter's curve inside one segment (see <see cref="AutomationSegments.Line"/>).</summary>
public readonly struct ParameterLine
{
    private readonly int _fromOffset, _toOffset;
    private readonly double _from, _to;
    private readonly bool _constant, _exactAtFrom;

    internal ParameterLine(int fromOffset, double from, int toOffset, double to, bool exactAtFrom)
    {
        _fromOffset = fromOffset; _from = from; _toOffset = toOffset; _to = to; _exactAtFrom = exactAtFrom; _constant = false;
    }

    private ParameterLine(double value)
    {
        _from = _to = value; _constant = true; _fromOffset = _toOffset = 0; _exactAtFrom = true;
    }

    internal static ParameterLine Constant(double value) => new(value);

    /// <summary>
    /// The parts <see cref="At"/> evaluates, for a caller that evaluates several lines on vectors with the same arithmetic:
    /// At(n) is <paramref name="from"/> when <paramref name="constant"/>, or when <paramref name="exactAtFrom"/> and
    /// n = <paramref name="fromOffset"/>; otherwise from + (to − from)·((n − fromOffset) / span).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void GetParts(out double from, out double to, out int fromOffset, out int span, out bool constant, out bool exactAtFrom)
    {
        from = _from; to = _to; fromOffset = _fromOffset; span = _toOffset - _fromOffset;
        constant = _constant; exactAtFrom = _exactAtFrom;
    }

    /// <summary>The value at a sample of the segment the line was taken for.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double At(int sample)
    {
        if (_constant || (_exactAtFrom && sample == _fromOffset)) return _from;
        return AutomationSegments.Lerp(_from, _to, sample - _fromOffset, _toOffset - _fromOffset);
    }
}

/// <summary>Allocation-free enumerator of consecutive sub-blocks [Start, End) no longer than a maximum.</summary>
public ref struct SubBlockEnumerator
{
    private readonly int _end;
    private readonly int _maxLength;
    private int _next;

    public SubBlockEnumerator(int start, int end, int maxLength)
    {
        _next = start;
        _end = Math.Max(start, end);
        _maxLength = Math.Max(1, maxLength);
        Current = default;
    }

    public AutomationSegment Current { get; private set; }

    public readonly SubBlockEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_next >= _end) return false;
        int end = Math.Min(_end, _next + _maxLength);
        Current = new AutomationSegment(_next, end);
        _next = end;
        return true;
    }
}
