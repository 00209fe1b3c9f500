using System.Numerics;
using System.Runtime.InteropServices;
using NPlug.Buffers.Dsp;

namespace NPlug.Buffers.Interop.Framework;

/// <summary>
/// The framework's click-free bypass: a linear fade of a fixed length between the DSP's output and the dry input
/// (effects), or to silence (instruments, and effects without an input). The DSP keeps running while bypassed, so
/// coming back needs no warm-up. The dry copy is taken before the DSP runs, because input and output may be the same
/// memory (in-place); it lives in native memory allocated at activation.
/// </summary>
internal sealed unsafe class BypassFader<T> : IDisposable where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly double _step;
    private readonly int _dryChannels;
    private readonly int _maxFrames;
    private T* _dry;
    private double _gain = 1;   // 1 = the DSP's output, 0 = bypassed
    private double _target = 1;
    private int _dryValidChannels;

    public BypassFader(double fadeFrames, int dryChannels, int maxFrames)
    {
        _step = 1.0 / Math.Max(1.0, fadeFrames);
        _dryChannels = dryChannels;
        _maxFrames = maxFrames;
        if (dryChannels > 0) _dry = (T*)NativeMemory.AlignedAlloc((nuint)(dryChannels * maxFrames * sizeof(T)), 64);
    }

    public bool Bypassed
    {
        get => _target == 0;
        set => _target = value ? 0 : 1;
    }

    /// <summary>True while the output is not simply the DSP's (fading or bypassed).</summary>
    public bool IsActive => _gain != 1 || _target != 1;

    public void Reset() => _gain = _target;

    /// <summary>Keeps the dry input of this slice when it will be needed.</summary>
    public void CaptureDry(AudioBlock<T> input, int frames)
    {
        _dryValidChannels = 0;
        if (!IsActive || _dry == null) return;
        int channels = Math.Min(input.ChannelCount, _dryChannels);
        for (int c = 0; c < channels; c++) input[c][..frames].CopyTo(new Span<T>(_dry + c * _maxFrames, frames));
        _dryValidChannels = channels;
    }

    /// <summary>Applies the fade to the DSP's output; false when the output is untouched (not bypassed, not fading).</summary>
    public bool Apply(AudioBlock<T> output, int frames)
    {
        if (!IsActive) return false;
        double start = _gain;
        int fadeFrames = Math.Min(frames, (int)Math.Ceiling(Math.Abs(_target - start) / _step));
        double end = fadeFrames == 0 ? start
            : _target > start ? Math.Min(_target, start + _step * fadeFrames)
            : Math.Max(_target, start - _step * fadeFrames);
        for (int c = 0; c < output.ChannelCount; c++)
        {
            Span<T> wet = output[c];
            if (wet.IsEmpty) continue;
            if (_dryValidChannels == 0)
            {
                // To silence: ramp the gain, then hold the target (0 = zeros, 1 = untouched).
                if (fadeFrames > 0) VectorKernels.GainRamp(wet[..fadeFrames], T.CreateTruncating(start), T.CreateTruncating(end));
                if (end == 0) VectorKernels.Clear(wet[fadeFrames..frames]);
                continue;
            }
            // Mono input into a wider output: every output channel fades into the last dry channel there is.
            var dry = new ReadOnlySpan<T>(_dry + Math.Min(c, _dryValidChannels - 1) * _maxFrames, frames);
            for (int i = 0; i < fadeFrames; i++)
            {
                T g = T.CreateTruncating(start + (end - start) * (i + 1) / fadeFrames);
                wet[i] = wet[i] * g + dry[i] * (T.One - g);
            }
            if (end == 0) dry[fadeFrames..].CopyTo(wet[fadeFrames..frames]);
        }
        _gain = end;
        return true;
    }

    public void Dispose()
    {
        if (_dry != null) NativeMemory.AlignedFree(_dry);
        _dry = null;
    }
}
