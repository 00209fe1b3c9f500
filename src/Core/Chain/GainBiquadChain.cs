using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NPlug.Buffers.Dsp;

namespace NPlug.Buffers.Chain;

/// <summary>
/// Input → gain → N-band EQ → sidechain ducking → bypass crossfade → output, with sample-accurate automation.
/// </summary>
/// <remarks>
/// <para><b>Automation model.</b> Each block is cut into <see cref="AutomationSegments"/> at every point of every
/// parameter. Inside a segment nothing moves unless a parameter ramps or a smoother is still travelling; then the
/// segment is walked in sub-blocks of at most <see cref="GainBiquadChainLimits.SubBlockFrames"/> frames. For each
/// sub-block [s, e): the input gain's smoother is aimed at the automation value at s for one sample and at the value
/// at e-1 for the rest, and the linear gain runs straight between the smoothed ends (GainRamp), so with smoothing
/// off the gain hits the automation exactly at every change point. Band smoothers are aimed at the value at e-1 and
/// advanced by e-s samples; the coefficients designed from them hold for the sub-block. Ducking and bypass gains
/// move linearly from their value at s-1 to their value at e-1. Discrete parameters (band type, band on/off,
/// bypass) take their value at a segment's first sample.</para>
/// <para><b>Real time.</b> Everything is allocated in <see cref="Prepare"/>. <see cref="Process"/> does not allocate,
/// lock or throw for bad input: oversize blocks and an unprepared chain clear the output and return false; non-finite
/// samples never leave the chain (the affected channel block is zeroed and its filter state reset).</para>
/// </remarks>
public sealed unsafe class GainBiquadChain<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private const int GainIndex = (int)ChainParameter.GainDb;
    private const int DepthIndex = (int)ChainParameter.DuckDepthDb;
    private const int KeyIndex = (int)ChainParameter.KeyFrequencyHz;
    private const int BypassIndex = (int)ChainParameter.Bypass;
    private const int SubBlock = GainBiquadChainLimits.SubBlockFrames;

    private readonly ChainSettings _settings;
    private readonly int _bands;
    private readonly AutomationSegments _segments;

    private double _sampleRate;
    private int _maxFrames;
    private int _channels;
    private int _sidechainChannels;

    private BiquadCascade<T>? _eq;
    private BiquadCascade<T>? _key;
    private EnvelopeFollower? _envelope;
    private T[] _dry = [];          // channels * maxFrames, a copy of the input for the bypass crossfade
    private T[] _keyBuffer = [];    // pinned: sidechainChannels * maxFrames
    private nint[] _keyPointers = []; // pinned: channel pointer table over _keyBuffer
    private T[] _detector = [];     // maxFrames: max |key| over sidechain channels
    // With external scratch (Prepare(..., externalScratch: true)) the three buffers above stay empty and each Process
    // call points these at the caller's scratch block instead: [0, channels) dry, then the key channels, then the detector.
    private bool _externalScratch;
    private unsafe T*[] _scratchDry = [];
    private unsafe T* _scratchDetector;

    private Smoother _gain;
    private Smoother _bypassMix;
    private Smoother[] _bandFrequency = [];
    private Smoother[] _bandQ = [];
    private Smoother[] _bandGain = [];
    private FilterType[] _bandType = [];
    private bool[] _bandEnabled = [];
    private bool[] _bandMoving = [];
    private bool[] _bandSettled = [];   // at rest on its current values, and no point or snap since that was checked
    private (double Frequency, double Q, double GainDb)[] _bandDesignedFrom = [];
    private ParameterLine[] _bandLines = [];  // per band: frequency, Q, gain lines of the current segment
    private (double Type, double Enabled)[] _bandDiscreteApplied = []; // raw values ApplyDiscreteBandParameters last acted on

    private double _gainLinear = 1;   // input gain at the last processed sample
    private double _gainLinearDb;     // the dB value _gainLinear was computed from (saves a pow per block to compare)
    private double _duckLinear = 1;   // ducking gain at the last processed sample
    private double _keyFrequency = double.NaN;
    private bool _detectorIdle;        // the key filter and envelope were skipped (depth 0) since the last ducking block
    // Decisions taken where the current segment begins, kept across chunk edges (see Process).
    private bool _segmentGainMoving, _segmentBandsMoving, _segmentBypassFading;
    private bool _atRest;              // the last block ended with nothing moving: see AtRest (cleared by every snap)
    private int _scratchOrigin;        // block offset of the current chunk's first scratch frame

    public GainBiquadChain(ChainSettings? settings = null)
    {
        _settings = settings ?? ChainSettings.Default;
        _bands = Math.Clamp(_settings.BandCount, 0, GainBiquadChainLimits.MaxBands);
        ParameterCount = ChainAutomation.ParameterCountFor(_bands);
        _segments = new AutomationSegments(ParameterCount, Math.Max(1, _settings.MaxPointsPerParameter));
        for (int p = 0; p < ParameterCount; p++) _segments.SetCurrent(p, ChainParameterRanges.DefaultValue(p));
    }

    public ChainSettings Settings => _settings;

    public int BandCount => _bands;

    public int ParameterCount { get; }

    public bool IsPrepared => _eq is not null;

    public double SampleRate => _sampleRate;

    public int MaxFrames => _maxFrames;

    public int Channels => _channels;

    /// <summary>Ducking at the end of the last block, in dB of reduction (≥ 0).</summary>
    public double GainReductionDb { get; private set; }

    /// <summary>Largest ducking reached during the last block, in dB (≥ 0).</summary>
    public double MaxGainReductionDb { get; private set; }

    /// <summary>Peak |sample| of the last block's output over all processed channels.</summary>
    public double OutputPeak { get; private set; }

    /// <summary>Blocks that took the at-rest path (tests check the path is taken and equals the general one).</summary>
    internal long QuietBlocks { get; private set; }

    /// <summary>Number of channel blocks that were zeroed because they held NaN or Inf.</summary>
    public long NonFiniteBlocks { get; private set; }

    /// <summary>Automation value at the end of the last processed block (or as set).</summary>
    public double GetParameter(int index) => _segments.GetCurrent(index);

    /// <summary>
    /// Allocates everything <see cref="Process"/> needs. Not for the audio thread. With <paramref name="externalScratch"/>
    /// the per-block buffers (dry copy, key signal, detector) are not allocated here: every Process call then brings a
    /// scratch block of <see cref="ScratchChannels"/> channels (a framework leases it from a shared pool).
    /// </summary>
    public void Prepare(double sampleRate, int maxFrames, int channels, int sidechainChannels = 2, bool externalScratch = false)
    {
        if (!(sampleRate > 0) || !double.IsFinite(sampleRate)) throw new ArgumentOutOfRangeException(nameof(sampleRate));
        if (maxFrames <= 0) throw new ArgumentOutOfRangeException(nameof(maxFrames));
        if (channels <= 0 || channels > GainBiquadChainLimits.MaxChannels) throw new ArgumentOutOfRangeException(nameof(channels));
        _sampleRate = sampleRate;
        _maxFrames = maxFrames;
        _channels = channels;
        _sidechainChannels = Math.Clamp(sidechainChannels, 1, GainBiquadChainLimits.MaxSidechainChannels);

        _eq = new BiquadCascade<T>(Math.Max(1, _bands), channels);
        _key = new BiquadCascade<T>(1, _sidechainChannels);
        _envelope = new EnvelopeFollower(_settings.DuckAttackSeconds, _settings.DuckReleaseSeconds, sampleRate, _settings.DuckDetector);
        _externalScratch = externalScratch;
        _keyPointers = GC.AllocateArray<nint>(_sidechainChannels, pinned: true);
        if (externalScratch)
        {
            _dry = [];
            _keyBuffer = [];
            _detector = [];
            _scratchDry = new T*[channels];
        }
        else
        {
            _dry = new T[channels * maxFrames];
            _keyBuffer = GC.AllocateArray<T>(_sidechainChannels * maxFrames, pinned: true);
            for (int c = 0; c < _sidechainChannels; c++)
                _keyPointers[c] = (nint)Unsafe.AsPointer(ref _keyBuffer[c * maxFrames]);
            _detector = new T[maxFrames];
        }

        var smoothing = new SmootherConfig(_settings.SmoothingKind, _settings.SmoothingSeconds, sampleRate, 1e-9);
        _vectorBands = Vector256.IsHardwareAccelerated && smoothing.Kind == SmootherKind.OnePole && smoothing.PoleCoefficient > 0;
        _bandPole = smoothing.PoleCoefficient;
        _bandTolerance = smoothing.ArrivalTolerance;
        _bandDecay = default;
        _gain = new Smoother(smoothing, 0);
        _bypassMix = new Smoother(new SmootherConfig(SmootherKind.Linear, _settings.BypassFadeSeconds, sampleRate), 0);
        _bandFrequency = new Smoother[_bands];
        _bandQ = new Smoother[_bands];
        _bandGain = new Smoother[_bands];
        _bandType = new FilterType[_bands];
        _bandEnabled = new bool[_bands];
        _bandMoving = new bool[_bands];
        _bandSettled = new bool[_bands];
        _bandDesignedFrom = new (double, double, double)[_bands];
        _bandLines = new ParameterLine[_bands * 3];
        _bandDiscreteApplied = new (double, double)[_bands];
        for (int b = 0; b < _bands; b++)
        {
            _bandFrequency[b] = new Smoother(smoothing, 0);
            _bandQ[b] = new Smoother(smoothing, 0);
            _bandGain[b] = new Smoother(smoothing, 0);
        }
        if (_bands == 0) _eq.SetStageEnabled(0, false);
        Reset();
    }

    /// <summary>Clears all filter and envelope state and lands every smoother on its current value.</summary>
    public void Reset()
    {
        if (_eq is null) return;
        _eq.Reset();
        _key!.Reset();
        _envelope!.Reset();
        _duckLinear = 1;
        GainReductionDb = MaxGainReductionDb = 0;
        OutputPeak = 0;
        _keyFrequency = double.NaN;
        SnapToParameters();
    }

    /// <summary>Lands smoothers, band designs and the bypass mix on the current parameter values; filter state is kept.</summary>
    private void SnapToParameters()
    {
        var eq = _eq!;
        _gain.Reset(ChainParameterRanges.ClampGainDb(_segments.GetCurrent(GainIndex)));
        _gainLinear = ChainParameterRanges.DbToGain(_gain.Current);
        _gainLinearDb = _gain.Current;
        _atRest = false;
        _bypassMix.Reset(ChainParameterRanges.IsOn(_segments.GetCurrent(BypassIndex)) ? 1 : 0);
        for (int b = 0; b < _bands; b++)
        {
            ReadBand(b, 0, useCurrent: true, out double f, out double q, out double g);
            _bandFrequency[b].Reset(f);
            _bandQ[b].Reset(q);
            _bandGain[b].Reset(g);
            _bandType[b] = ChainParameterRanges.ToFilterType(_segments.GetCurrent(ChainAutomation.BandParameter(b, BandField.Type)));
            _bandEnabled[b] = ChainParameterRanges.IsOn(_segments.GetCurrent(ChainAutomation.BandParameter(b, BandField.Enabled)));
            eq.SetStageEnabled(b, _bandEnabled[b]);
            _bandDiscreteApplied[b] = (double.NaN, double.NaN);
            _bandSettled[b] = false;
        }
        DesignBands((1 << _bands) - 1, force: true);
    }

    /// <summary>
    /// Sets a parameter at once, without a ramp (initial values, state restore). Filter state is kept; use
    /// automation points for changes while audio runs. Not meant to race with <see cref="Process"/>.
    /// </summary>
    public void SetParameter(int index, double value)
    {
        if ((uint)index >= (uint)ParameterCount || !double.IsFinite(value)) return;
        _segments.SetCurrent(index, value);
        if (_eq is not null) SnapToParameters();
    }

    public void SetParameter(ChainParameter parameter, double value) => SetParameter((int)parameter, value);

    public void SetBandParameter(int band, BandField field, double value)
    {
        if ((uint)band < (uint)_bands) SetParameter(ChainAutomation.BandParameter(band, field), value);
    }

    /// <summary>The shortest external scratch <see cref="Process"/> renders a longer block with (one sub-block).</summary>
    public const int MinScratchFrames = SubBlock;

    /// <summary>Scratch channels one block needs: dry copy per channel, the key per sidechain channel, the detector.</summary>
    public int ScratchChannels => _channels + _sidechainChannels + 1;

    /// <summary>
    /// Processes one block. <paramref name="input"/> and <paramref name="output"/> may share buffers (in place).
    /// An empty <paramref name="sidechain"/> means silence on the key (ducking releases).
    /// <paramref name="scratch"/>: the per-block buffers when prepared with external scratch (at least
    /// <see cref="ScratchChannels"/> channels, content undefined); ignored otherwise. A scratch shorter than the block
    /// (down to one 32-frame sub-block) is fine: the block is then rendered chunk by chunk, every chunk edge on a
    /// sub-block edge and every decision taken where its segment begins, so the output is the one-pass output sample
    /// for sample — a pool that runs short changes nothing audible.
    /// Returns false (output cleared) when unprepared, the block exceeds the prepared size, or scratch is missing.
    /// </summary>
    public unsafe bool Process(AudioBlock<T> input, AudioBlock<T> output, AudioBlock<T> sidechain, ChainAutomation? automation,
        AudioBlock<T> scratch = default)
    {
        int frames = output.FrameCount;
        bool scratchMissing = _externalScratch && (scratch.ChannelCount < ScratchChannels || scratch.FrameCount < Math.Min(frames, SubBlock));
        if (_eq is null || frames > _maxFrames || (input.ChannelCount > 0 && input.FrameCount < frames))
        {
            for (int c = 0; c < output.ChannelCount; c++) VectorKernels.Clear(output[c]);
            OutputPeak = 0;
            return false;
        }
        if (frames == 0) return true;

        int channels = Math.Min(output.ChannelCount, _channels);
        for (int c = channels; c < output.ChannelCount; c++) VectorKernels.Clear(output[c]);
        var block = output.WithChannels(channels);
        if (_atRest && (automation is null || automation.IsEmpty))
        {
            // Nothing moves and nothing is automated (the common static block): the general path's decisions are known
            // — one segment, constant gain, static bands, no ducking, no fade — so they are not derived again. Same
            // operations on the same samples as that path, bit for bit.
            RouteInput(input, block, keepDry: false, 0, frames);
            if (_gainLinear != 1)
            {
                T g = T.CreateTruncating(_gainLinear);
                for (int c = 0; c < block.ChannelCount; c++) VectorKernels.Gain(block[c], g);
            }
            if (_bands > 0) _eq.Process(block);
            BeginDucking(false);
            GuardAndMeter(block);
            QuietBlocks++;
            return true;
        }
        if (_externalScratch && !scratchMissing)
        {
            for (int c = 0; c < _channels; c++) _scratchDry[c] = scratch.GetChannelPointer(c);
            for (int c = 0; c < _sidechainChannels; c++) _keyPointers[c] = (nint)scratch.GetChannelPointer(_channels + c);
            _scratchDetector = scratch.GetChannelPointer(_channels + _sidechainChannels);
        }

        LoadAutomation(automation, frames);
        bool bypassInvolved = BypassInvolved();
        bool ducking = DuckingActive();
        // Scratch is only touched by the bypass crossfade (dry copy) and by ducking with a key (key + detector); a
        // caller may leave it out when neither can happen (see NeedsScratch), and gets a cleared block if it was wrong.
        if (scratchMissing && (bypassInvolved || (sidechain.ChannelCount > 0 && ducking)))
        {
            for (int c = 0; c < output.ChannelCount; c++) VectorKernels.Clear(output[c]);
            OutputPeak = 0;
            _segments.Commit();
            return false;
        }
        bool hasKey = sidechain.ChannelCount > 0 && sidechain.FrameCount >= frames;
        int chunk = _externalScratch && !scratchMissing ? Math.Min(frames, scratch.FrameCount) : frames;
        BeginDucking(ducking);
        for (int lo = 0, hi; lo < frames; lo = hi)
        {
            hi = ChunkEnd(lo, chunk, frames);
            _scratchOrigin = lo;
            RouteInput(input, block, bypassInvolved, lo, hi);
            RunGainAndEq(block, lo, hi);
            if (ducking) RunDucking(block, sidechain, hasKey, lo, hi);
            if (bypassInvolved) RunBypass(block, lo, hi);
        }
        _scratchOrigin = 0;
        GuardAndMeter(block);
        _segments.Commit();
        _atRest = AtRest();
        return true;
    }

    /// <summary>
    /// Whether a block without points would find nothing to do but copy, apply the constant gain and run the static
    /// bands: no smoother moving, no fade, no ducking, every band's type/on-off applied and its values reached.
    /// </summary>
    private bool AtRest()
    {
        if (_gain.IsSmoothing || _bypassMix.IsSmoothing || _bypassMix.Current != 0 || _duckLinear != 1) return false;
        if (ChainParameterRanges.IsOn(_segments.GetCurrent(BypassIndex)) || _segments.GetCurrent(DepthIndex) != 0) return false;
        double gainTarget = ChainParameterRanges.ClampGainDb(_segments.GetCurrent(GainIndex));
        if (gainTarget != _gain.Target || _gainLinearDb != gainTarget) return false;
        for (int b = 0; b < _bands; b++)
        {
            var applied = _bandDiscreteApplied[b];
            if (applied.Type != _segments.GetCurrent(ChainAutomation.BandParameter(b, BandField.Type))
                || applied.Enabled != _segments.GetCurrent(ChainAutomation.BandParameter(b, BandField.Enabled))) return false;
            if (!_bandEnabled[b]) continue;
            if (_bandFrequency[b].IsSmoothing || _bandQ[b].IsSmoothing || _bandGain[b].IsSmoothing || !BandAtCurrentValues(b)) return false;
        }
        return true;
    }

    /// <summary>Whether band b's smoothers hold its current (clamped) frequency, Q and gain exactly.</summary>
    private bool BandAtCurrentValues(int b)
    {
        ReadBand(b, 0, useCurrent: true, out double f, out double q, out double g);
        return f == _bandFrequency[b].Current && q == _bandQ[b].Current && g == _bandGain[b].Current;
    }

    /// <summary>
    /// Where a chunk that starts at <paramref name="lo"/> (a sub-block edge) and may hold <paramref name="limit"/> frames
    /// ends: the last sub-block edge within reach. Sub-blocks run from each segment's start in steps of 32 frames, so
    /// with limit ≥ 32 the chunk is never empty.
    /// </summary>
    private int ChunkEnd(int lo, int limit, int frames)
    {
        int target = lo + limit;
        if (target >= frames) return frames;
        foreach (var segment in _segments.Segments)
        {
            if (segment.End <= target) continue;
            return segment.Start + (target - segment.Start) / SubBlock * SubBlock;
        }
        return frames;
    }

    private void LoadAutomation(ChainAutomation? automation, int frames)
    {
        _segments.Begin(frames);
        if (automation is not null && !automation.IsEmpty)
        {
            int count = Math.Min(automation.ParameterCount, ParameterCount);
            for (int p = 0; p < count; p++)
            {
                var points = automation.Points(p);
                for (int i = 0; i < points.Length; i++) _segments.AddPoint(p, points[i].SampleOffset, points[i].Value);
            }
        }
        _segments.Build();
    }

    private bool BypassInvolved()
    {
        if (_bypassMix.Current != 0 || _bypassMix.IsSmoothing) return true;
        foreach (var segment in _segments.Segments)
            if (ChainParameterRanges.IsOn(_segments.StartValue(BypassIndex, segment))) return true;
        return false;
    }

    private void RouteInput(AudioBlock<T> input, AudioBlock<T> block, bool keepDry, int lo, int hi)
    {
        int frames = block.FrameCount, n = hi - lo;
        for (int c = 0; c < block.ChannelCount; c++)
        {
            Span<T> dst = block[c];
            if (dst.IsEmpty) continue; // null output channel: nothing to write
            dst = dst.Slice(lo, n);
            Span<T> dry = keepDry ? DrySpan(c, lo, n) : default;
            if (input.ChannelCount == 0)
            {
                VectorKernels.Clear(dst);
                if (keepDry) VectorKernels.Clear(dry);
                continue;
            }
            // A mono input feeds every output channel; otherwise missing input channels reuse the last one.
            Span<T> src = input[Math.Min(c, input.ChannelCount - 1)];
            if (src.Length < frames)
            {
                // Null input pointer: silence.
                if (keepDry) VectorKernels.Clear(dry);
                VectorKernels.Clear(dst);
                continue;
            }
            src = src.Slice(lo, n);
            if (keepDry) VectorKernels.Copy(src, dry);
            if (!Unsafe.AreSame(ref src.GetPinnableReference(), ref dst.GetPinnableReference()))
                VectorKernels.Copy(src, dst);
        }
    }

    private void RunGainAndEq(AudioBlock<T> block, int lo, int hi)
    {
        var eq = _eq!;
        foreach (var segment in _segments.Segments)
        {
            if (segment.End <= lo) continue;
            if (segment.Start >= hi) break;
            if (segment.Start >= lo)
            {
                // What moves is decided where the segment begins and holds to its end, across chunk edges.
                ApplyDiscreteBandParameters(segment.Start);
                _segmentGainMoving = GainMoving(segment);
                _segmentBandsMoving = false;
                for (int b = 0; b < _bands; b++)
                {
                    _bandMoving[b] = BandMoving(b, segment);
                    _segmentBandsMoving |= _bandMoving[b];
                }
            }
            int from = Math.Max(lo, segment.Start), to = Math.Min(hi, segment.End);
            var slice = block.Slice(from, to - from);

            // Gain and EQ are separate passes over the segment: a moving gain alone does not force the
            // cascade into 32-frame calls, and a moving band alone does not force per-sub-block gain work.
            if (_segmentGainMoving)
            {
                foreach (var sub in AutomationSegments.SubBlocks(from, to, SubBlock))
                    ApplyGain(block.Slice(sub.Start, sub.Length), sub);
            }
            else if (_gainLinear != 1)
            {
                T g = T.CreateTruncating(_gainLinear);
                for (int c = 0; c < slice.ChannelCount; c++) VectorKernels.Gain(slice[c], g);
            }

            if (_bands == 0) continue;
            if (!_segmentBandsMoving)
            {
                eq.Process(slice);
                continue;
            }
            if (_vectorBands)
            {
                RunMovingBands(block, from, to);
                continue;
            }
            foreach (var sub in AutomationSegments.SubBlocks(from, to, SubBlock))
            {
                int last = sub.End - 1, moving = 0;
                for (int b = 0; b < _bands; b++)
                {
                    if (!_bandMoving[b]) continue; // off, or constant over this segment and already there
                    ReadBandLine(b, last, out double f, out double q, out double gdb);
                    _bandFrequency[b].SetTarget(f);
                    _bandQ[b].SetTarget(q);
                    _bandGain[b].SetTarget(gdb);
                    _bandFrequency[b].Advance(sub.Length);
                    _bandQ[b].Advance(sub.Length);
                    _bandGain[b].Advance(sub.Length);
                    moving |= 1 << b;
                }
                DesignBands(moving, force: false);
                eq.Process(block.Slice(sub.Start, sub.Length));
            }
        }
    }
    /// <summary>
    /// Gain over one sub-block: the smoother aims at the automation value of the first sample for that sample,
    /// then at the value of the last sample for the rest; the linear gain runs straight between the two ends.
    /// Without smoothing both ends are the automation's exact values, so every change point lands on its sample.
    /// </summary>
    private void ApplyGain(AudioBlock<T> slice, in AutomationSegment sub)
    {
        _gain.SetTarget(ChainParameterRanges.ClampGainDb(_segments.ValueAt(GainIndex, sub.Start)));
        double first = _gain.Advance(1);
        _gain.SetTarget(ChainParameterRanges.ClampGainDb(_segments.ValueAt(GainIndex, sub.End - 1)));
        double last = sub.Length > 1 ? _gain.Advance(sub.Length - 1) : first;
        double g0 = ChainParameterRanges.DbToGain(first);
        double g1 = last == first ? g0 : ChainParameterRanges.DbToGain(last);
        _gainLinear = g1;
        _gainLinearDb = last;
        if (g0 == g1)
        {
            if (g1 == 1) return;
            T g = T.CreateTruncating(g1);
            for (int c = 0; c < slice.ChannelCount; c++) VectorKernels.Gain(slice[c], g);
            return;
        }
        T start = T.CreateTruncating(g0), end = T.CreateTruncating(g1);
        for (int c = 0; c < slice.ChannelCount; c++) VectorKernels.GainRamp(slice[c], start, end);
    }

    private bool GainMoving(in AutomationSegment segment)
    {
        if (_gain.IsSmoothing || _segments.IsRamping(GainIndex, segment)) return true;
        double target = ChainParameterRanges.ClampGainDb(_segments.StartValue(GainIndex, segment));
        return target != _gain.Target || (_gainLinearDb != target && _gainLinear != ChainParameterRanges.DbToGain(target));
    }

    private bool BandMoving(int b, in AutomationSegment segment)
    {
        if (!_bandEnabled[b]) return false;
        if (_bandFrequency[b].IsSmoothing || _bandQ[b].IsSmoothing || _bandGain[b].IsSmoothing)
        {
            _bandSettled[b] = false;
            TakeBandLines(b, segment);
            return true;
        }
        double f, q, g;
        if (_segments.PointCount(ChainAutomation.BandParameter(b, BandField.FrequencyHz)) == 0
            && _segments.PointCount(ChainAutomation.BandParameter(b, BandField.Q)) == 0
            && _segments.PointCount(ChainAutomation.BandParameter(b, BandField.GainDb)) == 0)
        {
            // At rest, and nothing could move its current values since it was found there (only points and snaps do).
            if (_bandSettled[b]) return false;
            // No points this block: the curves are the current values (what ValueAt returns), no lines needed to compare.
            if (BandAtCurrentValues(b))
            {
                _bandSettled[b] = true;
                return false;
            }
            TakeBandLines(b, segment);
            return true;
        }
        _bandSettled[b] = false;
        TakeBandLines(b, segment);
        // A straight line is constant iff both ends equal the value the smoother already holds.
        ReadBandLine(b, segment.End - 1, out f, out q, out g);
        if (f != _bandFrequency[b].Current || q != _bandQ[b].Current || g != _bandGain[b].Current) return true;
        ReadBandLine(b, segment.Start, out f, out q, out g);
        return f != _bandFrequency[b].Current || q != _bandQ[b].Current || g != _bandGain[b].Current;
    }

    private void ApplyDiscreteBandParameters(int sample)
    {
        var eq = _eq!;
        for (int b = 0; b < _bands; b++)
        {
            double typeValue = _segments.ValueAt(ChainAutomation.BandParameter(b, BandField.Type), sample);
            double enabledValue = _segments.ValueAt(ChainAutomation.BandParameter(b, BandField.Enabled), sample);
            // The same two values as last time leave type and on/off where that call put them: nothing to do.
            ref var applied = ref _bandDiscreteApplied[b];
            if (applied.Type == typeValue && applied.Enabled == enabledValue) continue;
            applied = (typeValue, enabledValue);
            _bandSettled[b] = false;
            var type = ChainParameterRanges.ToFilterType(typeValue);
            bool enabled = ChainParameterRanges.IsOn(enabledValue);
            if (enabled && !_bandEnabled[b])
            {
                // A band that was off did not follow its automation: start it where the automation is now.
                ReadBand(b, sample, useCurrent: false, out double f, out double q, out double g);
                _bandFrequency[b].Reset(f);
                _bandQ[b].Reset(q);
                _bandGain[b].Reset(g);
                _bandType[b] = type;
                DesignBand(b, force: true);
            }
            else if (type != _bandType[b])
            {
                _bandType[b] = type;
                DesignBand(b, force: true);
            }
            if (enabled != _bandEnabled[b])
            {
                _bandEnabled[b] = enabled;
                eq.SetStageEnabled(b, enabled);
            }
        }
    }

    private void ReadBand(int b, int sample, bool useCurrent, out double frequency, out double q, out double gainDb)
    {
        int fi = ChainAutomation.BandParameter(b, BandField.FrequencyHz);
        int qi = ChainAutomation.BandParameter(b, BandField.Q);
        int gi = ChainAutomation.BandParameter(b, BandField.GainDb);
        frequency = ChainParameterRanges.ClampFrequency(useCurrent ? _segments.GetCurrent(fi) : _segments.ValueAt(fi, sample), _sampleRate);
        q = ChainParameterRanges.ClampQ(useCurrent ? _segments.GetCurrent(qi) : _segments.ValueAt(qi, sample));
        gainDb = ChainParameterRanges.ClampBandGainDb(useCurrent ? _segments.GetCurrent(gi) : _segments.ValueAt(gi, sample));
    }

    /// <summary>Caches band b's frequency, Q and gain lines for one segment (see <see cref="ReadBandLine"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // NativeAOT did not inline it (a call per band per sub-block)
    private void TakeBandLines(int b, in AutomationSegment segment)
    {
        _bandLines[3 * b] = _segments.Line(ChainAutomation.BandParameter(b, BandField.FrequencyHz), segment);
        _bandLines[3 * b + 1] = _segments.Line(ChainAutomation.BandParameter(b, BandField.Q), segment);
        _bandLines[3 * b + 2] = _segments.Line(ChainAutomation.BandParameter(b, BandField.GainDb), segment);
    }

    /// <summary><see cref="ReadBand"/> at a sample of the segment whose lines <see cref="TakeBandLines"/> cached (same values, bit for bit).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // NativeAOT did not inline it (a call per band per sub-block)
    private void ReadBandLine(int b, int sample, out double frequency, out double q, out double gainDb)
    {
        frequency = ChainParameterRanges.ClampFrequency(_bandLines[3 * b].At(sample), _sampleRate);
        q = ChainParameterRanges.ClampQ(_bandLines[3 * b + 1].At(sample));
        gainDb = ChainParameterRanges.ClampBandGainDb(_bandLines[3 * b + 2].At(sample));
    }

    private void DesignBand(int b, bool force) => DesignBands(1 << b, force);

    // ---- moving bands on vectors ----

    private bool _vectorBands;            // one-pole band smoothing and 256-bit vectors: RunMovingBands replaces the scalar loop

    /// <summary>Tests switch the vector band loop off to compare it with the scalar one (it is on whenever it can be).</summary>
    internal bool VectorBands
    {
        get => _vectorBands;
        set => _vectorBands = value && Vector256.IsHardwareAccelerated && _bandPole > 0
            && _settings.SmoothingKind == SmootherKind.OnePole;
    }
    private double _bandPole, _bandTolerance;
    private PoleDecayCache _bandDecay;    // the band smoothers' PoleDecayCache, for the vector loop

    /// <summary>Four bands' smoothers, lines and last designs, lane by lane (lane l is band first + l).</summary>
    private struct BandLanes
    {
        public Vector256<double> F, Q, G, TargetF, TargetQ, TargetG, DesignedF, DesignedQ, DesignedG, Moving;
        public LineLanes LineF, LineQ, LineG;
    }

    /// <summary>Four <see cref="ParameterLine"/>s as vectors (see <see cref="ParameterLine.GetParts"/>).</summary>
    private struct LineLanes
    {
        public Vector256<double> From, To, FromOffset, Span, TakeFrom, ExactAtFrom;

        /// <summary><see cref="ParameterLine.At"/> for every lane, the same arithmetic (so the same bits).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly Vector256<double> At(Vector256<double> sample)
        {
            Vector256<double> lerp = From + (To - From) * ((sample - FromOffset) / Span);
            Vector256<double> atFrom = TakeFrom | (ExactAtFrom & Vector256.Equals(sample, FromOffset));
            return Vector256.ConditionalSelect(atFrom, From, lerp);
        }
    }

    /// <summary>
    /// The moving bands of a segment's frames [from, to), sub-block by sub-block, four bands per vector: each moving band's
    /// lines evaluated at the sub-block's last sample, clamped, its one-pole smoothers aimed there and stepped, and the
    /// band designed when a value moved — the scalar loop's operations lane for lane (so its values bit for bit), without
    /// a call per band and parameter. The smoothers and designs are gathered here and written back at the end.
    /// </summary>
    [SkipLocalsInit] // both buffers are written (GatherBands) before they are read
    private void RunMovingBands(AudioBlock<T> block, int from, int to)
    {
        var eq = _eq!;
        int groups = (_bands + 3) >> 2;
        Span<BandLanes> lanes = stackalloc BandLanes[2];
        Span<FilterType> types = stackalloc FilterType[8];
        for (int g = 0; g < groups; g++) GatherBands(4 * g, types.Slice(4 * g, 4), ref lanes[g]);

        var minHz = Vector256.Create(ChainParameterRanges.MinFrequencyHz);
        var maxHz = Vector256.Create(Math.Max(ChainParameterRanges.MinFrequencyHz, ChainParameterRanges.MaxFrequencyRatio * _sampleRate));
        var minQ = Vector256.Create(ChainParameterRanges.MinQ);
        var maxQ = Vector256.Create(ChainParameterRanges.MaxQ);
        var minDb = Vector256.Create(ChainParameterRanges.MinBandGainDb);
        var maxDb = Vector256.Create(ChainParameterRanges.MaxBandGainDb);
        var tolerance = Vector256.Create(_bandTolerance);
        foreach (var sub in AutomationSegments.SubBlocks(from, to, SubBlock))
        {
            var last = Vector256.Create((double)(sub.End - 1));
            var decay = Vector256.Create(_bandDecay.Get(_bandPole, sub.Length));
            for (int g = 0; g < groups; g++)
            {
                ref BandLanes l = ref lanes[g];
                // ReadBandLine's values and clamps, then SetTarget + Advance for the moving lanes.
                var f = Vector256.Min(Vector256.Max(l.LineF.At(last), minHz), maxHz);
                var q = Vector256.Min(Vector256.Max(l.LineQ.At(last), minQ), maxQ);
                var db = Vector256.Min(Vector256.Max(l.LineG.At(last), minDb), maxDb);
                l.TargetF = Vector256.ConditionalSelect(l.Moving, f, l.TargetF);
                l.TargetQ = Vector256.ConditionalSelect(l.Moving, q, l.TargetQ);
                l.TargetG = Vector256.ConditionalSelect(l.Moving, db, l.TargetG);
                l.F = Step(l.F, l.TargetF, decay, tolerance, l.Moving);
                l.Q = Step(l.Q, l.TargetQ, decay, tolerance, l.Moving);
                l.G = Step(l.G, l.TargetG, decay, tolerance, l.Moving);
                // DesignBand's test: a moving band whose values are those it was designed from is left as it is.
                var same = Vector256.Equals(l.F, l.DesignedF) & Vector256.Equals(l.Q, l.DesignedQ) & Vector256.Equals(l.G, l.DesignedG);
                var design = Vector256.AndNot(l.Moving, same);
                int mask = (int)Vector256.ExtractMostSignificantBits(design);
                if (mask == 0) continue;
                l.DesignedF = Vector256.ConditionalSelect(design, l.F, l.DesignedF);
                l.DesignedQ = Vector256.ConditionalSelect(design, l.Q, l.DesignedQ);
                l.DesignedG = Vector256.ConditionalSelect(design, l.G, l.DesignedG);
                eq.SetStages(4 * g, mask, SectionQuad.Design(types.Slice(4 * g, 4), l.F, l.Q, l.G, _sampleRate));
            }
            eq.Process(block.Slice(sub.Start, sub.Length));
        }
        for (int g = 0; g < groups; g++) ScatterBands(4 * g, ref lanes[g]);
    }

    /// <summary><see cref="Smoother.Advance"/> of one-pole smoothers after SetTarget, on the moving lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Step(Vector256<double> current, Vector256<double> target, Vector256<double> decay,
        Vector256<double> tolerance, Vector256<double> moving)
    {
        Vector256<double> stepped = target + (current - target) * decay;
        stepped = Vector256.ConditionalSelect(Vector256.LessThanOrEqual(Vector256.Abs(stepped - target), tolerance), target, stepped);
        Vector256<double> next = Vector256.ConditionalSelect(Vector256.Equals(current, target), current, stepped);
        return Vector256.ConditionalSelect(moving, next, current);
    }

    /// <summary>Fills <paramref name="lanes"/> from bands first … first + 3 (lanes past the last band: a quiet bell that never moves).</summary>
    private void GatherBands(int first, Span<FilterType> types, ref BandLanes lanes)
    {
        for (int l = 0; l < 4; l++)
        {
            int b = first + l;
            if (b >= _bands)
            {
                types[l] = FilterType.Peaking;
                Lane(ref lanes.F, l) = Lane(ref lanes.TargetF, l) = Lane(ref lanes.DesignedF, l) = 1000;
                Lane(ref lanes.Q, l) = Lane(ref lanes.TargetQ, l) = Lane(ref lanes.DesignedQ, l) = 1;
                Lane(ref lanes.G, l) = Lane(ref lanes.TargetG, l) = Lane(ref lanes.DesignedG, l) = 0;
                Lane(ref lanes.Moving, l) = 0;
                var constant = ParameterLine.Constant(0);
                SetLine(ref lanes.LineF, l, constant);
                SetLine(ref lanes.LineQ, l, constant);
                SetLine(ref lanes.LineG, l, constant);
                continue;
            }
            types[l] = _bandType[b];
            ref Smoother f = ref _bandFrequency[b], q = ref _bandQ[b], g = ref _bandGain[b];
            Lane(ref lanes.F, l) = f.Current; Lane(ref lanes.TargetF, l) = f.Target;
            Lane(ref lanes.Q, l) = q.Current; Lane(ref lanes.TargetQ, l) = q.Target;
            Lane(ref lanes.G, l) = g.Current; Lane(ref lanes.TargetG, l) = g.Target;
            var designed = _bandDesignedFrom[b];
            Lane(ref lanes.DesignedF, l) = designed.Frequency;
            Lane(ref lanes.DesignedQ, l) = designed.Q;
            Lane(ref lanes.DesignedG, l) = designed.GainDb;
            Lane(ref lanes.Moving, l) = _bandMoving[b] ? AllBits : 0;
            SetLine(ref lanes.LineF, l, _bandLines[3 * b]);
            SetLine(ref lanes.LineQ, l, _bandLines[3 * b + 1]);
            SetLine(ref lanes.LineG, l, _bandLines[3 * b + 2]);
        }
    }

    private static readonly double AllBits = BitConverter.Int64BitsToDouble(-1);

    /// <summary>Lane <paramref name="lane"/> of a vector in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref double Lane(ref Vector256<double> vector, int lane) =>
        ref Unsafe.Add(ref Unsafe.As<Vector256<double>, double>(ref vector), lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SetLine(ref LineLanes lines, int lane, in ParameterLine line)
    {
        line.GetParts(out double from, out double to, out int fromOffset, out int span, out bool constant, out bool exact);
        Lane(ref lines.From, lane) = from;
        Lane(ref lines.To, lane) = to;
        Lane(ref lines.FromOffset, lane) = fromOffset;
        Lane(ref lines.Span, lane) = span;
        Lane(ref lines.TakeFrom, lane) = constant ? AllBits : 0;
        Lane(ref lines.ExactAtFrom, lane) = exact ? AllBits : 0;
    }

    private void ScatterBands(int first, ref BandLanes lanes)
    {
        for (int l = 0; l < 4; l++)
        {
            int b = first + l;
            if (b >= _bands || !_bandMoving[b]) continue;
            _bandFrequency[b].SetOnePoleState(Lane(ref lanes.F, l), Lane(ref lanes.TargetF, l));
            _bandQ[b].SetOnePoleState(Lane(ref lanes.Q, l), Lane(ref lanes.TargetQ, l));
            _bandGain[b].SetOnePoleState(Lane(ref lanes.G, l), Lane(ref lanes.TargetG, l));
            _bandDesignedFrom[b] = (Lane(ref lanes.DesignedF, l), Lane(ref lanes.DesignedQ, l), Lane(ref lanes.DesignedG, l));
        }
    }

    /// <summary>
    /// Designs the bands of <paramref name="mask"/> (bit b = band b) from their smoothers' current values into the cascade,
    /// four bands per vector pass (<see cref="SectionQuad"/>: one SinCos, one Exp and one column recurrence for four
    /// bands; a moving EQ redesigns every band per sub-block). Without <paramref name="force"/> a band whose values are
    /// those it was last designed from is left as it is: design costs trig and exp.
    /// </summary>
    private void DesignBands(int mask, bool force)
    {
        Span<FilterType> types = stackalloc FilterType[4];
        for (int first = 0; first < _bands; first += 4)
        {
            int lanes = 0;
            double f0 = 1000, f1 = 1000, f2 = 1000, f3 = 1000, q0 = 1, q1 = 1, q2 = 1, q3 = 1, g0 = 0, g1 = 0, g2 = 0, g3 = 0;
            for (int l = 0; l < 4; l++)
            {
                int b = first + l;
                types[l] = FilterType.Peaking;
                if (b >= _bands) continue;
                double f = _bandFrequency[b].Current, q = _bandQ[b].Current, g = _bandGain[b].Current;
                types[l] = _bandType[b];
                switch (l)
                {
                    case 0: f0 = f; q0 = q; g0 = g; break;
                    case 1: f1 = f; q1 = q; g1 = g; break;
                    case 2: f2 = f; q2 = q; g2 = g; break;
                    default: f3 = f; q3 = q; g3 = g; break;
                }
                if ((mask & (1 << b)) == 0) continue;
                ref var designed = ref _bandDesignedFrom[b];
                if (!force && designed.Frequency == f && designed.Q == q && designed.GainDb == g) continue;
                designed = (f, q, g);
                lanes |= 1 << l;
            }
            if (lanes == 0) continue;
            var quad = SectionQuad.Design(types, Vector256.Create(f0, f1, f2, f3), Vector256.Create(q0, q1, q2, q3),
                Vector256.Create(g0, g1, g2, g3), _sampleRate);
            _eq!.SetStages(first, lanes, quad);
        }
    }

    /// <summary>
    /// Whether the next block can touch scratch, from what the caller knows before it: the bypass switch and the duck
    /// depth as they stand (and whether either changes in the block), and whether a sidechain is connected. Conservative:
    /// true whenever a crossfade or ducking could run.
    /// </summary>
    public bool NeedsScratch(bool bypassOn, bool bypassChanges, double duckDepthDb, bool depthChanges, bool sidechainConnected) =>
        bypassOn || bypassChanges || _bypassMix.Current != 0 || _bypassMix.IsSmoothing
        || (sidechainConnected && (depthChanges || duckDepthDb != 0 || _duckLinear != 1));

    private bool DuckingActive()
    {
        bool anyDepth = _duckLinear != 1;
        foreach (var segment in _segments.Segments)
            anyDepth |= _segments.StartValue(DepthIndex, segment) != 0 || _segments.EndValue(DepthIndex, segment) != 0;
        return anyDepth;
    }

    /// <summary>The detector's state for a block, before its first chunk.</summary>
    private void BeginDucking(bool ducking)
    {
        GainReductionDb = ducking ? GainReductionDb : 0;
        MaxGainReductionDb = 0;
        if (!ducking)
        {
            // Depth 0 all block long (and no ducking left to release): the output does not depend on the key, so the
            // detector idles — no key copy, key filter or envelope work. It restarts from rest (key filter state and
            // envelope cleared) in the first block whose depth is not 0, as a freshly prepared chain would.
            _detectorIdle = true;
            return;
        }
        if (_detectorIdle)
        {
            _detectorIdle = false;
            _key!.Reset();
            _envelope!.Reset();
        }
    }

    private void RunDucking(AudioBlock<T> block, AudioBlock<T> sidechain, bool hasKey, int lo, int hi)
    {
        var envelope = _envelope!;
        if (hasKey) PrepareDetector(sidechain, block.FrameCount, lo, hi);

        double threshold = _settings.DuckThresholdDb;
        double range = Math.Max(1e-6, _settings.DuckRangeDb);
        double maxReduction = MaxGainReductionDb, reduction = GainReductionDb;
        foreach (var segment in _segments.Segments)
        {
            if (segment.End <= lo) continue;
            if (segment.Start >= hi) break;
            foreach (var sub in AutomationSegments.SubBlocks(Math.Max(lo, segment.Start), Math.Min(hi, segment.End), SubBlock))
            {
                double level = hasKey
                    ? envelope.Process((ReadOnlySpan<T>)DetectorSpan(sub.Start, sub.Length))
                    : envelope.ProcessSilence(sub.Length);
                double depth = ChainParameterRanges.ClampDuckDepthDb(_segments.ValueAt(DepthIndex, sub.End - 1));
                double levelDb = level > 1e-12 ? 20 * Math.Log10(level) : -240;
                double amount = Math.Clamp((levelDb - threshold) / range, 0, 1);
                reduction = depth * amount;
                maxReduction = Math.Max(maxReduction, reduction);
                double g1 = ChainParameterRanges.DbToGain(-reduction);
                RampAcross(block.Slice(sub.Start, sub.Length), _duckLinear, g1);
                _duckLinear = g1;
            }
        }
        GainReductionDb = reduction;
        MaxGainReductionDb = maxReduction;
    }

    /// <summary>Key-filters the sidechain's frames [lo, hi) into scratch and folds them to one detector signal (max |x|).</summary>
    private void PrepareDetector(AudioBlock<T> sidechain, int frames, int lo, int hi)
    {
        int n = hi - lo;
        int channels = Math.Min(sidechain.ChannelCount, _sidechainChannels);
        for (int c = 0; c < channels; c++)
        {
            Span<T> src = sidechain[c];
            Span<T> dst = KeySpan(c, n);
            if (src.Length >= frames) VectorKernels.Copy(src.Slice(lo, n), dst);
            else VectorKernels.Clear(dst);
        }

        var key = _key!;
        var keyBlock = new AudioBlock<T>((T**)Unsafe.AsPointer(ref _keyPointers[0]), channels, n);
        // The key frequency is discrete per segment. The filter runs one call per segment (a chunk edge inside one then
        // falls on the filter's own 32-frame grid, so chunked and one-pass keys are the same samples).
        foreach (var segment in _segments.Segments)
        {
            if (segment.End <= lo) continue;
            if (segment.Start >= hi) break;
            if (segment.Start >= lo)
            {
                double f = ChainParameterRanges.ClampFrequency(_segments.StartValue(KeyIndex, segment), _sampleRate);
                if (f != _keyFrequency)
                {
                    _keyFrequency = f;
                    key.SetStage(0, BiquadDesign.Design(FilterType.HighPass, f, _settings.KeyFilterQ, 0, _sampleRate));
                }
            }
            int from = Math.Max(lo, segment.Start), to = Math.Min(hi, segment.End);
            key.Process(keyBlock.Slice(from - lo, to - from));
        }

        Span<T> detector = DetectorSpan(lo, n);
        ReadOnlySpan<T> first = KeySpan(0, n);
        for (int i = 0; i < n; i++) detector[i] = T.Abs(first[i]);
        for (int c = 1; c < channels; c++)
        {
            ReadOnlySpan<T> other = KeySpan(c, n);
            for (int i = 0; i < n; i++) detector[i] = T.Max(detector[i], T.Abs(other[i]));
        }
        for (int c = 0; c < channels; c++)
            if (!VectorKernels.AllFinite<T>(KeySpan(c, n))) key.Reset(c);
    }

    private void RunBypass(AudioBlock<T> block, int lo, int hi)
    {
        foreach (var segment in _segments.Segments)
        {
            if (segment.End <= lo) continue;
            if (segment.Start >= hi) break;
            if (segment.Start >= lo)
            {
                _bypassMix.SetTarget(ChainParameterRanges.IsOn(_segments.StartValue(BypassIndex, segment)) ? 1 : 0);
                _segmentBypassFading = _bypassMix.IsSmoothing;
            }
            int from = Math.Max(lo, segment.Start), to = Math.Min(hi, segment.End);
            if (!_segmentBypassFading)
            {
                if (_bypassMix.Current == 1)
                {
                    for (int c = 0; c < block.ChannelCount; c++)
                    {
                        if (block.IsChannelNull(c)) continue;
                        VectorKernels.Copy(DrySpan(c, from, to - from), block[c].Slice(from, to - from));
                    }
                }
                continue;
            }
            foreach (var sub in AutomationSegments.SubBlocks(from, to, SubBlock))
            {
                double m0 = _bypassMix.Current;
                double m1 = _bypassMix.Advance(sub.Length);
                for (int c = 0; c < block.ChannelCount; c++)
                {
                    if (block.IsChannelNull(c)) continue;
                    Span<T> wet = block[c].Slice(sub.Start, sub.Length);
                    Span<T> dry = DrySpan(c, sub.Start, sub.Length);
                    RampAcross(wet, 1 - m0, 1 - m1);
                    RampAcross(dry, m0, m1);
                    VectorKernels.MixAdd<T>(dry, wet, T.One);
                }
            }
        }
    }

    // Scratch spans by block offset: a chunk's scratch starts at its first frame (_scratchOrigin).
    private unsafe Span<T> DrySpan(int channel, int start, int length) =>
        _externalScratch ? new Span<T>(_scratchDry[channel] + (start - _scratchOrigin), length) : _dry.AsSpan(channel * _maxFrames + start, length);

    private unsafe Span<T> KeySpan(int channel, int length) =>
        _externalScratch ? new Span<T>((T*)_keyPointers[channel], length) : _keyBuffer.AsSpan(channel * _maxFrames, length);

    private unsafe Span<T> DetectorSpan(int start, int length) =>
        _externalScratch ? new Span<T>(_scratchDetector + (start - _scratchOrigin), length) : _detector.AsSpan(start, length);

    private void GuardAndMeter(AudioBlock<T> block)
    {
        double peak = 0;
        for (int c = 0; c < block.ChannelCount; c++)
        {
            Span<T> samples = block[c];
            // One pass: the peak is NaN when any sample is NaN and +Inf when any is infinite, so it is the finiteness test.
            T channelPeak = VectorKernels.Peak<T>(samples);
            if (!T.IsFinite(channelPeak))
            {
                VectorKernels.Clear(samples);
                _eq!.Reset(c);
                NonFiniteBlocks++;
                continue;
            }
            peak = Math.Max(peak, double.CreateTruncating(channelPeak));
        }
        OutputPeak = peak;
    }

    /// <summary>
    /// Multiplies by a gain moving linearly from <paramref name="before"/> (the value at the sample before the span)
    /// to <paramref name="after"/> (the value at its last sample).
    /// </summary>
    private static void RampAcross(AudioBlock<T> slice, double before, double after)
    {
        for (int c = 0; c < slice.ChannelCount; c++) RampAcross(slice[c], before, after);
    }

    private static void RampAcross(Span<T> samples, double before, double after)
    {
        int n = samples.Length;
        if (n == 0) return;
        if (before == after)
        {
            if (after != 1) VectorKernels.Gain(samples, T.CreateTruncating(after));
            return;
        }
        double first = before + (after - before) / n;
        VectorKernels.GainRamp(samples, T.CreateTruncating(first), T.CreateTruncating(after));
    }
}
