using System.Globalization;

namespace OfflineRender;

/// <summary>One note of a sequence: MIDI pitch, start and length in seconds, velocity 0..1.</summary>
public readonly record struct Note(int Pitch, double Start, double Length, float Velocity);

/// <summary>Notes for instruments, from <c>NOTE@START+LENGTH[*VELOCITY]</c> lists or the embedded default.</summary>
public static class NoteSequence
{
    /// <summary>The default: a C-major arpeggio and a closing chord, about three seconds.</summary>
    public static IReadOnlyList<Note> Default { get; } = Parse("C4@0+0.4,E4@0.4+0.4,G4@0.8+0.4,C5@1.2+0.4*0.9,C4@1.8+1*0.7,E4@1.8+1*0.7,G4@1.8+1*0.7");

    public static IReadOnlyList<Note> Parse(string spec)
    {
        var notes = new List<Note>();
        foreach (var raw in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int at = raw.IndexOf('@');
            int plus = raw.IndexOf('+', Math.Max(at, 0));
            if (at <= 0 || plus < at) throw new OptionException($"Note '{raw}' is not NOTE@START+LENGTH[*VELOCITY].");
            int star = raw.IndexOf('*', plus);
            string lengthText = star < 0 ? raw[(plus + 1)..] : raw[(plus + 1)..star];
            float velocity = star < 0 ? 0.8f : (float)Number(raw[(star + 1)..], raw);
            double start = Number(raw[(at + 1)..plus], raw), length = Number(lengthText, raw);
            if (start < 0 || length <= 0 || velocity is < 0 or > 1)
                throw new OptionException($"Note '{raw}': start must be ≥ 0, length > 0 and velocity within 0..1.");
            notes.Add(new Note(Pitch(raw[..at]), start, length, velocity));
        }

        if (notes.Count == 0) throw new OptionException("--notes names no notes.");
        return notes;
    }

    /// <summary>MIDI pitch from a number (60) or a name (C4 = 60, F#3, Bb2).</summary>
    public static int Pitch(string text)
    {
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n is >= 0 and <= 127) return n;
        if (text.Length >= 2)
        {
            int semitone = char.ToUpperInvariant(text[0]) switch
            {
                'C' => 0, 'D' => 2, 'E' => 4, 'F' => 5, 'G' => 7, 'A' => 9, 'B' => 11, _ => -100,
            };
            int i = 1;
            if (text[i] == '#') { semitone++; i++; }
            else if (text[i] == 'b') { semitone--; i++; }
            if (semitone > -50 && int.TryParse(text[i..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int octave))
            {
                int pitch = (octave + 1) * 12 + semitone;
                if (pitch is >= 0 and <= 127) return pitch;
            }
        }

        throw new OptionException($"'{text}' is not a MIDI note (0..127 or a name like C4, F#3, Bb2).");
    }

    public static double End(IReadOnlyList<Note> notes) => notes.Max(n => n.Start + n.Length);

    private static double Number(string text, string note) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new OptionException($"Note '{note}': '{text}' is not a number.");
}
