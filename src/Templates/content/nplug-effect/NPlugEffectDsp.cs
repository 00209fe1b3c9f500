namespace NPlugEffect;

/// <summary>
/// The audio path, at 32 or 64 bits. Gain changes take effect at their sample offset (sample-accurate automation)
/// and are smoothed over a few milliseconds. Process runs on the audio thread: no allocation, locks or exceptions.
/// </summary>
public sealed class NPlugEffectDsp<T>(NPlugEffectModel model) : AudioDsp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private double _target, _gain, _smoothing;

    public override void Prepare(in DspSetup setup)
    {
        _target = _gain = DbToGain(setup.Plain(model.Gain));
        _smoothing = 1 - Math.Exp(-1 / (0.005 * setup.SampleRate)); // 5 ms one-pole
    }

    public override DspResult Process(in ProcessContext<T> context)
    {
        int position = 0;
        foreach (var point in context.Parameters.Points(model.Gain))
        {
            int offset = Math.Clamp(point.Offset, position, context.Frames);
            Render(context.MainInput, context.MainOutput, position, offset);
            position = offset;
            _target = DbToGain(point.Plain);
        }
        Render(context.MainInput, context.MainOutput, position, context.Frames);
        return DspResult.Ok;
    }

    public override void Reset() => _gain = _target;

    private void Render(AudioBlock<T> input, AudioBlock<T> output, int start, int end)
    {
        double gain = _gain;
        for (int c = 0; c < output.ChannelCount; c++)
        {
            Span<T> o = output[c];
            ReadOnlySpan<T> i = c < input.ChannelCount ? input[c] : o;
            gain = _gain;
            for (int n = start; n < end; n++)
            {
                gain += (_target - gain) * _smoothing;
                o[n] = c < input.ChannelCount ? T.CreateTruncating(double.CreateTruncating(i[n]) * gain) : T.Zero;
            }
        }
        _gain = gain;
    }

    private static double DbToGain(double db) => Math.Pow(10, db / 20);
}
