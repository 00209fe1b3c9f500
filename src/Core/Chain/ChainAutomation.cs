namespace NPlug.Buffers.Chain;

/// <summary>Global parameters of <see cref="GainBiquadChain{T}"/>, in plain units. Band parameters follow them.</summary>
public enum ChainParameter
{
    /// <summary>Input gain in dB (clamped to [-120, +24]).</summary>
    GainDb = 0,

    /// <summary>Maximum ducking in dB, a positive amount (0 = ducking off; clamped to [0, 96]).</summary>
    DuckDepthDb = 1,

    /// <summary>Cut-off of the sidechain key high-pass in Hz.</summary>
    KeyFrequencyHz = 2,

    /// <summary>Bypass: values ≥ 0.5 bypass (crossfaded, not switched).</summary>
    Bypass = 3,
}

/// <summary>Per-band fields; a band's parameter index is <see cref="ChainAutomation.BandParameter"/>.</summary>
public enum BandField
{
    /// <summary><see cref="Dsp.FilterType"/> as a number (rounded, clamped).</summary>
    Type = 0,
    FrequencyHz = 1,
    Q = 2,
    GainDb = 3,

    /// <summary>Values ≥ 0.5 switch the band on.</summary>
    Enabled = 4,
}

/// <summary>
/// This block's parameter points for a <see cref="GainBiquadChain{T}"/>, filled by the format wrapper
/// straight from the host's queues (e.g. VST3 IParamValueQueue::getPoint) and consumed by one Process call.
/// </summary>
/// <remarks>
/// Preallocated: <see cref="AddPoint(int,int,double)"/> never allocates, so it is safe on the audio thread.
/// Values are in plain units (dB, Hz, Q, 0/1); the wrapper converts from normalised values. A point at offset 0
/// may be omitted: the chain ramps from the value it ended the previous block with. Points beyond capacity
/// replace the parameter's last stored point (the final value is kept, the curve gets coarser).
/// </remarks>
public sealed class ChainAutomation
{
    public const int GlobalParameterCount = 4;
    public const int FieldsPerBand = 5;

    private readonly AutomationPoint[] _points;
    private readonly int[] _counts;
    private readonly int _maxPoints;

    public ChainAutomation(int bandCount = 4, int maxPointsPerParameter = 64)
    {
        if (bandCount < 0 || bandCount > GainBiquadChainLimits.MaxBands) throw new ArgumentOutOfRangeException(nameof(bandCount));
        if (maxPointsPerParameter <= 0) throw new ArgumentOutOfRangeException(nameof(maxPointsPerParameter));
        BandCount = bandCount;
        ParameterCount = ParameterCountFor(bandCount);
        _maxPoints = maxPointsPerParameter;
        _points = new AutomationPoint[ParameterCount * maxPointsPerParameter];
        _counts = new int[ParameterCount];
    }

    public int BandCount { get; }

    public int ParameterCount { get; }

    public int MaxPointsPerParameter => _maxPoints;

    public static int ParameterCountFor(int bandCount) => GlobalParameterCount + FieldsPerBand * bandCount;

    public static int BandParameter(int band, BandField field) => GlobalParameterCount + band * FieldsPerBand + (int)field;

    /// <summary>Forgets all points; call once per block before adding the host's points.</summary>
    public void Clear()
    {
        if (!IsEmpty) Array.Clear(_counts);
        IsEmpty = true;
    }

    /// <summary>True when no point was added since the last <see cref="Clear"/> (a block without automation).</summary>
    public bool IsEmpty { get; private set; } = true;

    /// <summary>Appends a point (queue order). Returns false if the index is unknown or the point replaced the last one.</summary>
    public bool AddPoint(int parameterIndex, int sampleOffset, double value)
    {
        if ((uint)parameterIndex >= (uint)ParameterCount) return false;
        IsEmpty = false;
        int count = _counts[parameterIndex];
        var point = new AutomationPoint(sampleOffset, value);
        if (count == _maxPoints)
        {
            _points[parameterIndex * _maxPoints + count - 1] = point;
            return false;
        }
        _points[parameterIndex * _maxPoints + count] = point;
        _counts[parameterIndex] = count + 1;
        return true;
    }

    public bool AddPoint(ChainParameter parameter, int sampleOffset, double value) => AddPoint((int)parameter, sampleOffset, value);

    public bool AddBandPoint(int band, BandField field, int sampleOffset, double value) =>
        (uint)band < (uint)BandCount && AddPoint(BandParameter(band, field), sampleOffset, value);

    public ReadOnlySpan<AutomationPoint> Points(int parameterIndex) =>
        (uint)parameterIndex < (uint)ParameterCount
            ? new ReadOnlySpan<AutomationPoint>(_points, parameterIndex * _maxPoints, _counts[parameterIndex])
            : ReadOnlySpan<AutomationPoint>.Empty;
}

public static class GainBiquadChainLimits
{
    public const int MaxBands = 8;
    public const int MaxChannels = 8;
    public const int MaxSidechainChannels = 8;

    /// <summary>Longest stretch over which coefficients or gains are held while anything is moving.</summary>
    public const int SubBlockFrames = 32;
}
