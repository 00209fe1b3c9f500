using System.Numerics;
using NPlug.Buffers.Dsp;
using NPlug.Buffers.Pools;

namespace NPlug.Buffers.Interop.Framework;

/// <summary>
/// The framework's click-free bypass: a linear fade of a fixed length between the DSP's output and the dry input
/// (effects), or to silence (instruments, and effects without an input). The DSP keeps running while bypassed, so
/// coming back needs no warm-up. The dry copy is taken before the DSP runs, because input and output may be the same
/// memory (in-place); it lives in the block's scratch lease from the module pool, not in memory of this instance.
/// </summary>
internal sealed class BypassFader<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly double _step;
    private readonly int _dryChannels;
    private double _gain = 1;   // 1 = the DSP's output, 0 = bypassed
    private double _target = 1;
    private ScratchLease<T> _dry;
    private int _dryFirst;
    private int _dryValidChannels;

    public BypassFader(double fadeFrames, int dryChannels)
    {
        _step = 1.0 / Math.Max(1.0, fadeFrames);
        _dryChannels = dryChannels;
    }

    public bool Bypassed
    {
        get => _target == 0;
        set => _target = value ? 0 : 1;
    }

    /// <summary>True while the output is not simply the DSP's (fading or bypassed).</summary>
    public bool IsActive => _gain != 1 || _target != 1;

    public void Reset()
    {
        _gain = _target;
        _fadeTarget = _target;
        _fadeOrigin = _target;
        _fadePosition = 0;
    }

    /// <summary>Keeps the dry input of this pass in channels [<paramref name="first"/>, …) of the lease when it will be needed.</summary>
    public void CaptureDry(AudioBlock<T> input, int frames, ScratchLease<T> lease, int first)
    {
        _dryValidChannels = 0;
        if (!IsActive || _dryChannels == 0 || !lease.IsValid) return;
        int channels = Math.Min(Math.Min(input.ChannelCount, _dryChannels), lease.ChannelCount - first);
        for (int c = 0; c < channels; c++) input[c][..frames].CopyTo(lease[first + c]);
        _dry = lease;
        _dryFirst = first;
        _dryValidChannels = channels;
    }

    /// <summary>Applies the fade to the DSP's output; false when the output is untouched (not bypassed, not fading).</summary>
    /// <remarks>
    /// The gain of every frame is computed from the fade's origin and the frame's distance from it, so a fade rendered
    /// in several shorter passes (a short scratch pool) gives the same samples as in one.
    /// </remarks>
    public bool Apply(AudioBlock<T> output, int frames)
    {
        if (!IsActive) return false;
        if (_target != _fadeTarget)
        {
            // A new fade starts from wherever the gain is now.
            _fadeTarget = _target;
            _fadeOrigin = _gain;
            _fadePosition = 0;
        }
        double direction = _target > _fadeOrigin ? 1 : -1;
        int remaining = (int)Math.Ceiling(Math.Abs(_target - _fadeOrigin) / _step) - _fadePosition;
        int fadeFrames = Math.Clamp(remaining, 0, frames);
        for (int c = 0; c < output.ChannelCount; c++)
        {
            Span<T> wet = output[c];
            if (wet.IsEmpty) continue;
            ReadOnlySpan<T> dry = _dryValidChannels == 0 ? default : _dry[_dryFirst + Math.Min(c, _dryValidChannels - 1)][..frames];
            for (int i = 0; i < fadeFrames; i++)
            {
                T g = T.CreateTruncating(Math.Clamp(_fadeOrigin + direction * _step * (_fadePosition + i + 1), 0, 1));
                // To silence (no dry signal: instruments), or mono input into a wider output: the last dry channel.
                wet[i] = dry.IsEmpty ? wet[i] * g : wet[i] * g + dry[i] * (T.One - g);
            }
            if (_target == 0)
            {
                if (dry.IsEmpty) VectorKernels.Clear(wet[fadeFrames..frames]);
                else dry[fadeFrames..].CopyTo(wet[fadeFrames..frames]);
            }
        }
        _fadePosition += fadeFrames;
        _gain = fadeFrames < remaining || remaining > 0 && fadeFrames == 0
            ? Math.Clamp(_fadeOrigin + direction * _step * _fadePosition, 0, 1)
            : _target;
        return true;
    }

    private double _fadeOrigin = 1;
    private double _fadeTarget = 1;
    private int _fadePosition;
}
