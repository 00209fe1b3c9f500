using System.Numerics;
using NPlug.Buffers.Buses;
using NPlug.Buffers.Dsp;
using NPlug.Buffers.Plugin.Parameters;
using NPlug.Buffers.Storage;

namespace NPlug.Buffers.Plugin.Sampler;

/// <summary>
/// The format-free audio path of the Sampler at one precision: <see cref="ProcessBufferStorage{T}"/> sized for an
/// instrument (so a host's null output channels get internal buffers, allocated here — at setup/activation, never on
/// the audio thread), the <see cref="SamplerEngine"/>, and a bypass that fades the output out rather than cutting it.
/// </summary>
public sealed class SamplerDsp<T> : IDisposable where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private const double BypassFadeSeconds = 0.01;
    private readonly double _bypassStep;
    private double _bypassGain = 1;   // 1 = playing, 0 = bypassed (silent)
    private double _bypassTarget = 1;

    public SamplerDsp(SamplerEngine engine, BusConfiguration configuration, double sampleRate, int maxFrames)
    {
        Engine = engine;
        Storage = new ProcessBufferStorage<T>(configuration, maxFrames);
        Span<int> outputs = stackalloc int[configuration.OutputBusCount];
        for (int b = 0; b < outputs.Length; b++) outputs[b] = configuration.Outputs[b].ChannelCount;
        OutputSlices = new Common.ChannelOffsetTable<T>(outputs);
        _bypassStep = 1.0 / Math.Max(1.0, BypassFadeSeconds * sampleRate);
    }

    public SamplerEngine Engine { get; }
    public ProcessBufferStorage<T> Storage { get; }
    /// <summary>Shifted host pointer arrays for blocks processed in slices.</summary>
    internal Common.ChannelOffsetTable<T> OutputSlices { get; }

    /// <summary>Peak |sample| of the last rendered block (after bypass).</summary>
    public double OutputPeak { get; private set; }

    public bool Bypassed
    {
        get => _bypassTarget == 0;
        set => _bypassTarget = value ? 0 : 1;
    }

    /// <summary>True while the output fades towards bypass or back.</summary>
    public bool IsFading => _bypassGain != _bypassTarget;

    public void Reset()
    {
        _bypassGain = _bypassTarget;
        OutputPeak = 0;
    }

    /// <summary>Zeroes the collected main output before voices mix into it.</summary>
    public void ClearOutput()
    {
        var output = Storage.MainOutput;
        for (int c = 0; c < output.ChannelCount; c++) VectorKernels.Clear(output[c]);
    }

    /// <summary>Mixes every voice into frames [start, end) of the main output.</summary>
    public void RenderRange(int start, int end)
    {
        var output = Storage.MainOutput;
        if (end <= start || output.ChannelCount == 0 || end > output.FrameCount) return;
        Engine.Render(output.Slice(start, end - start));
    }

    /// <summary>Applies the bypass fade and measures the peak of the finished block.</summary>
    public void Finish()
    {
        var output = Storage.MainOutput;
        int frames = output.FrameCount;
        if (_bypassGain != 1 || _bypassTarget != 1)
        {
            // Ramp over the frames the fade still needs, then hold the target (0 = silence, 1 = untouched).
            double start = _bypassGain;
            int fadeFrames = Math.Min(frames, (int)Math.Ceiling(Math.Abs(_bypassTarget - start) / _bypassStep));
            double end = fadeFrames == 0 ? start
                : _bypassTarget > start ? Math.Min(_bypassTarget, start + _bypassStep * fadeFrames)
                : Math.Max(_bypassTarget, start - _bypassStep * fadeFrames);
            for (int c = 0; c < output.ChannelCount; c++)
            {
                Span<T> channel = output[c];
                if (channel.IsEmpty) continue;
                if (fadeFrames > 0) VectorKernels.GainRamp(channel[..fadeFrames], T.CreateTruncating(start), T.CreateTruncating(end));
                if (end == 0) VectorKernels.Clear(channel[fadeFrames..]);
            }
            _bypassGain = end;
        }
        double peak = 0;
        for (int c = 0; c < output.ChannelCount; c++) peak = Math.Max(peak, double.CreateTruncating(VectorKernels.Peak<T>(output[c])));
        OutputPeak = peak;
    }

    public void Dispose()
    {
        Storage.Dispose();
        OutputSlices.Dispose();
    }
}
