namespace StereoDelay;

/// <summary>
/// One delay line per channel, allocated in Prepare for <see cref="StereoDelayModel.MaxTimeMs"/> at the current rate.
/// line[n] = x[n] + feedback·line[n − D], out[n] = (1 − mix)·x[n] + mix·line[n − D], D = max(1, round(time·rate)).
/// Each parameter point takes effect at its sample offset (the block is split there).
/// </summary>
public sealed class StereoDelayDsp<T>(StereoDelayModel model) : AudioDsp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private double[][] _lines = [];
    private int _write, _delay = 1;
    private double _rate, _feedback, _mix;

    public override void Prepare(in DspSetup setup)
    {
        _rate = setup.SampleRate;
        int length = (int)Math.Round(StereoDelayModel.MaxTimeMs / 1000 * _rate) + 1;
        int channels = setup.OutputChannels.Length > 0 ? setup.OutputChannels[0] : 2;
        _lines = new double[channels][];
        for (int c = 0; c < channels; c++) _lines[c] = new double[length];
        _write = 0;
        _delay = DelayFrames(setup.Plain(model.Time));
        _feedback = setup.Plain(model.Feedback) / 100;
        _mix = setup.Plain(model.Mix) / 100;
    }

    public override DspResult Process(in ProcessContext<T> context)
    {
        var parameters = context.Parameters;
        ReadOnlySpan<ParameterPoint> time = parameters.Points(model.Time), feedback = parameters.Points(model.Feedback), mix = parameters.Points(model.Mix);
        int t = 0, f = 0, m = 0, position = 0;
        while (position < context.Frames)
        {
            for (; t < time.Length && time[t].Offset <= position; t++) _delay = DelayFrames(time[t].Plain);
            for (; f < feedback.Length && feedback[f].Offset <= position; f++) _feedback = feedback[f].Plain / 100;
            for (; m < mix.Length && mix[m].Offset <= position; m++) _mix = mix[m].Plain / 100;
            int end = Math.Min(context.Frames, Math.Min(Next(time, t), Math.Min(Next(feedback, f), Next(mix, m))));
            Render(context.MainInput, context.MainOutput, position, end);
            position = end;
        }
        if (time.Length > 0) _delay = DelayFrames(time[^1].Plain); // points past the block (or a 0-frame block)
        if (feedback.Length > 0) _feedback = feedback[^1].Plain / 100;
        if (mix.Length > 0) _mix = mix[^1].Plain / 100;
        return DspResult.Ok;
    }

    public override void Reset()
    {
        foreach (var line in _lines) Array.Clear(line);
        _write = 0;
    }

    private void Render(AudioBlock<T> input, AudioBlock<T> output, int start, int end)
    {
        int write = _write;
        for (int c = 0; c < output.ChannelCount; c++)
        {
            Span<T> o = output[c];
            if (c >= _lines.Length || c >= input.ChannelCount) { o[start..end].Clear(); continue; }
            ReadOnlySpan<T> x = input[c];
            double[] line = _lines[c];
            write = _write;
            for (int n = start; n < end; n++)
            {
                int read = write - _delay;
                if (read < 0) read += line.Length;
                double dry = double.CreateTruncating(x[n]), wet = line[read], next = dry + _feedback * wet;
                line[write] = double.IsFinite(next) && Math.Abs(next) > 1e-30 ? next : 0; // no NaN/Inf or denormals in the loop
                o[n] = T.CreateTruncating((1 - _mix) * dry + _mix * wet);
                if (++write == line.Length) write = 0;
            }
        }
        _write = _lines.Length > 0 ? (_write + end - start) % _lines[0].Length : 0;
    }

    private int DelayFrames(double ms) => Math.Clamp((int)Math.Round(ms / 1000 * _rate), 1, _lines.Length > 0 ? _lines[0].Length - 1 : 1);

    private static int Next(ReadOnlySpan<ParameterPoint> points, int index) => index < points.Length ? points[index].Offset : int.MaxValue;
}
