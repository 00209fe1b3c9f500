using NPlug.Buffers.Pools;

namespace NPlug.Buffers.Tests;

/// <summary>
/// A stand-in for GainEQ's per-block scratch use, in the shape the chain has: a dry copy of the stereo input (bypass
/// crossfade), a stereo key signal filtered from the sidechain, and a one-channel detector — 5 scratch channels per
/// block. Every stage carries its state from sample to sample, so the output does not depend on how the block is cut
/// into passes: it must be identical with private scratch, a pooled lease and a fallback lease.
/// </summary>
internal sealed unsafe class ScratchReferenceDsp
{
    public const int ScratchChannels = 5;

    private readonly ScratchRegistration<double>? _scratch;
    private readonly double[]? _private;
    private readonly int _maxFrames;
    private double _lowL, _lowR, _keyL, _keyR, _keyInL, _keyInR, _envelope, _mix, _gain = 1;

    /// <summary>Private scratch: 5 x maxFrames doubles owned by the instance (what the chain does today).</summary>
    public ScratchReferenceDsp(int maxFrames)
    {
        _maxFrames = maxFrames;
        _private = new double[ScratchChannels * maxFrames];
    }

    /// <summary>Pooled scratch through a registration in <paramref name="pool"/>.</summary>
    public ScratchReferenceDsp(ScratchPool<double> pool, int maxFrames)
    {
        _maxFrames = maxFrames;
        _scratch = pool.Register(ScratchChannels, maxFrames, name: "reference");
    }

    public ScratchRegistration<double>? Registration => _scratch;

    /// <summary>Target gain, set from another thread (the controller); read once per block.</summary>
    private double _gainTarget = 1;

    /// <summary>The gain target: written by a controller thread, read once per block (a 64-bit word, never torn).</summary>
    public double Gain
    {
        get => Volatile.Read(ref _gainTarget);
        set => Volatile.Write(ref _gainTarget, value);
    }

    /// <summary>
    /// Passes whose dry copy no longer matched the input when the pass ended: someone else wrote into this lease's
    /// buffers while it was held. Must stay 0.
    /// </summary>
    public long Corruptions { get; private set; }

    /// <summary>Passes run in the last block (1 when the whole block had scratch).</summary>
    public int LastPasses { get; private set; }

    public void Reset()
    {
        _lowL = _lowR = _keyL = _keyR = _keyInL = _keyInR = _envelope = _mix = 0;
        _gain = 1;
    }

    public void Process(ReadOnlySpan<double> inL, ReadOnlySpan<double> inR, ReadOnlySpan<double> sideL, ReadOnlySpan<double> sideR,
        Span<double> outL, Span<double> outR, int frames)
    {
        double gainTarget = Gain;
        if (_private != null)
        {
            Span<double> p = _private;
            Pass(p.Slice(0, frames), p.Slice(_maxFrames, frames), p.Slice(2 * _maxFrames, frames), p.Slice(3 * _maxFrames, frames),
                p.Slice(4 * _maxFrames, frames), inL, inR, sideL, sideR, outL, outR, 0, frames, gainTarget);
            LastPasses = 1;
            return;
        }

        using ScratchLease<double> lease = _scratch!.Rent(ScratchChannels, frames);
        if (!lease.IsValid)
        {
            outL.Slice(0, frames).Clear();
            outR.Slice(0, frames).Clear();
            LastPasses = 0;
            return;
        }

        int passes = 0;
        for (int start = 0; start < frames; start += lease.Frames)
        {
            int n = Math.Min(lease.Frames, frames - start);
            Pass(lease[0].Slice(0, n), lease[1].Slice(0, n), lease[2].Slice(0, n), lease[3].Slice(0, n), lease[4].Slice(0, n),
                inL, inR, sideL, sideR, outL, outR, start, n, gainTarget);
            passes++;
        }

        LastPasses = passes;
    }

    private void Pass(Span<double> dryL, Span<double> dryR, Span<double> keyL, Span<double> keyR, Span<double> detector,
        ReadOnlySpan<double> inL, ReadOnlySpan<double> inR, ReadOnlySpan<double> sideL, ReadOnlySpan<double> sideR,
        Span<double> outL, Span<double> outR, int start, int n, double gainTarget)
    {
        // 1. Dry copy for the crossfade.
        inL.Slice(start, n).CopyTo(dryL);
        inR.Slice(start, n).CopyTo(dryR);

        // 2. Key: one-pole high-pass of the sidechain.
        for (int i = 0; i < n; i++)
        {
            double xl = sideL[start + i], xr = sideR[start + i];
            _keyL = 0.95 * (_keyL + xl - _keyInL);
            _keyR = 0.95 * (_keyR + xr - _keyInR);
            _keyInL = xl;
            _keyInR = xr;
            keyL[i] = _keyL;
            keyR[i] = _keyR;
        }

        // 3. Detector: max |key|, then an attack/release follower, in place.
        for (int i = 0; i < n; i++)
        {
            double d = Math.Max(Math.Abs(keyL[i]), Math.Abs(keyR[i]));
            _envelope += (d > _envelope ? 0.3 : 0.002) * (d - _envelope);
            detector[i] = _envelope;
        }

        // 4. Wet: low-pass, ducked by the detector, smoothed gain; 5. crossfade from dry.
        for (int i = 0; i < n; i++)
        {
            _gain += 0.01 * (gainTarget - _gain);
            _mix += 0.001 * (1 - _mix);
            _lowL += 0.2 * (dryL[i] - _lowL);
            _lowR += 0.2 * (dryR[i] - _lowR);
            double duck = (1 - 0.5 * Math.Min(1, detector[i])) * _gain;
            outL[start + i] = dryL[i] + (_lowL * duck - dryL[i]) * _mix;
            outR[start + i] = dryR[i] + (_lowR * duck - dryR[i]) * _mix;
        }

        // The dry copy was written in step 1 and only read since: it still equals the input unless another holder
        // had the same buffers meanwhile.
        if (!dryL.SequenceEqual(inL.Slice(start, n)) || !dryR.SequenceEqual(inR.Slice(start, n))) Corruptions++;
    }
}
