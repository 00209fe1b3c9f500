namespace NPlugInstrument;

/// <summary>
/// Sine voices started and stopped at their events' sample offsets; a 5 ms attack and an exponential release.
/// Voices are allocated in Prepare; Process runs on the audio thread: no allocation, locks or exceptions.
/// </summary>
public sealed class NPlugInstrumentDsp<T>(NPlugInstrumentModel model) : AudioDsp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private struct Voice
    {
        public int Pitch, NoteId;
        public double Phase, Increment, Velocity, Envelope;
        public bool Active, Held;
    }

    private readonly Voice[] _voices = new Voice[16];
    private double _rate = 48000, _volume, _attack, _release;

    public override void Prepare(in DspSetup setup)
    {
        _rate = setup.SampleRate;
        _attack = 1 / (0.005 * _rate);
        SetParameters(setup.Plain(model.Volume), setup.Plain(model.Release));
        Reset();
    }

    public override DspResult Process(in ProcessContext<T> context)
    {
        if (context.Parameters.AnyChanged) SetParameters(context.Parameters.Plain(model.Volume), context.Parameters.Plain(model.Release));
        var output = context.MainOutput;
        int position = 0;
        foreach (var e in context.Events)
        {
            int offset = Math.Clamp(e.Offset, position, context.Frames);
            Render(output, position, offset);
            position = offset;
            if (e.Kind == NoteEventKind.NoteOn) NoteOn(e.Pitch, e.NoteId, e.Velocity);
            else NoteOff(e.Pitch, e.NoteId);
        }
        Render(output, position, context.Frames);
        return DspResult.Ok;
    }

    public override void Reset() => Array.Clear(_voices);

    private void SetParameters(double volumeDb, double releaseMs)
    {
        _volume = Math.Pow(10, volumeDb / 20);
        _release = Math.Exp(-6.9 / (releaseMs / 1000 * _rate)); // -60 dB after the release time
    }

    private void NoteOn(int pitch, int noteId, double velocity)
    {
        int slot = 0; // a free voice, else the quietest one
        for (int v = 0; v < _voices.Length; v++)
        {
            if (!_voices[v].Active) { slot = v; break; }
            if (_voices[v].Envelope < _voices[slot].Envelope) slot = v;
        }
        _voices[slot] = new Voice
        {
            Pitch = pitch, NoteId = noteId, Velocity = velocity, Active = true, Held = true,
            Increment = 2 * Math.PI * 440 * Math.Pow(2, (pitch - 69) / 12.0) / _rate,
        };
    }

    private void NoteOff(int pitch, int noteId)
    {
        for (int v = 0; v < _voices.Length; v++)
            if (_voices[v].Held && (noteId >= 0 ? _voices[v].NoteId == noteId : _voices[v].Pitch == pitch)) _voices[v].Held = false;
    }

    private void Render(AudioBlock<T> output, int start, int end)
    {
        for (int n = start; n < end; n++)
        {
            double sum = 0;
            for (int v = 0; v < _voices.Length; v++)
            {
                ref var voice = ref _voices[v];
                if (!voice.Active) continue;
                voice.Envelope = voice.Held ? Math.Min(1, voice.Envelope + _attack) : voice.Envelope * _release;
                if (!voice.Held && voice.Envelope < 1e-4) voice.Active = false;
                sum += Math.Sin(voice.Phase) * voice.Envelope * voice.Velocity;
                voice.Phase += voice.Increment;
                if (voice.Phase > 2 * Math.PI) voice.Phase -= 2 * Math.PI;
            }
            var sample = T.CreateTruncating(sum * _volume);
            for (int c = 0; c < output.ChannelCount; c++) output[c][n] = sample;
        }
    }
}
