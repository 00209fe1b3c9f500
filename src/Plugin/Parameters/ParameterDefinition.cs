using System.Globalization;

namespace NPlug.Buffers.Plugin.Parameters;

/// <summary>
/// One parameter: identity, range, mapping between normalized [0, 1] and plain values, and the text shown to users.
/// Immutable; the text conversions allocate and are meant for the controller (UI thread), while
/// <see cref="ToPlain"/>/<see cref="ToNormalized"/> are allocation-free and safe on the audio thread.
/// </summary>
public sealed class ParameterDefinition
{
    private readonly string[] _listEntries;

    public ParameterDefinition(
        uint id, string title, string shortTitle, string units,
        ParameterScale scale, double min, double max, double defaultPlain,
        ParameterFlags flags, int decimals = 1, string[]? listEntries = null)
    {
        if (string.IsNullOrEmpty(title)) throw new ArgumentException("A parameter needs a title.", nameof(title));
        if (id >= 0x80000000u) throw new ArgumentOutOfRangeException(nameof(id), "Parameter ids must be below 0x80000000.");
        if (!(max > min)) throw new ArgumentException("max must exceed min.", nameof(max));
        if (scale == ParameterScale.Logarithmic && !(min > 0)) throw new ArgumentException("A logarithmic range must be positive.", nameof(min));
        if (defaultPlain < min || defaultPlain > max) throw new ArgumentOutOfRangeException(nameof(defaultPlain));

        Id = id;
        Title = title;
        ShortTitle = shortTitle;
        Units = units;
        Scale = scale;
        Min = min;
        Max = max;
        Decimals = decimals;
        _listEntries = listEntries ?? [];

        StepCount = scale switch
        {
            ParameterScale.Toggle => 1,
            ParameterScale.List => (int)Math.Round(max - min),
            _ => 0,
        };
        if (scale == ParameterScale.List && _listEntries.Length != StepCount + 1)
            throw new ArgumentException("A list parameter needs one entry per step.", nameof(listEntries));
        if (scale == ParameterScale.List) flags |= ParameterFlags.IsList;
        Flags = flags;
        DefaultNormalized = ToNormalized(defaultPlain);
    }

    public uint Id { get; }
    public string Title { get; }
    public string ShortTitle { get; }
    public string Units { get; }
    public ParameterScale Scale { get; }
    public double Min { get; }
    public double Max { get; }
    /// <summary>0 for continuous parameters; number of steps minus one's complement as VST3 defines it (toggle = 1).</summary>
    public int StepCount { get; }
    public double DefaultNormalized { get; }
    public ParameterFlags Flags { get; }
    public int Decimals { get; }
    public ReadOnlySpan<string> ListEntries => _listEntries;

    public bool IsReadOnly => (Flags & ParameterFlags.IsReadOnly) != 0;
    public bool IsBypass => (Flags & ParameterFlags.IsBypass) != 0;

    /// <summary>Normalized → plain. NaN reads as the default; values outside [0, 1] are clamped.</summary>
    public double ToPlain(double normalized)
    {
        double n = SanitizeNormalized(normalized);
        switch (Scale)
        {
            case ParameterScale.Logarithmic:
                return Math.Clamp(Min * Math.Pow(Max / Min, n), Min, Max);
            case ParameterScale.List:
            case ParameterScale.Toggle:
                return Min + Math.Min(StepCount, Math.Floor(n * (StepCount + 1)));
            default:
                return Min + n * (Max - Min);
        }
    }

    /// <summary>Plain → normalized, clamped to [0, 1]. NaN reads as the default.</summary>
    public double ToNormalized(double plain)
    {
        if (double.IsNaN(plain)) return DefaultNormalizedOrZero();
        double p = Math.Clamp(plain, Min, Max);
        switch (Scale)
        {
            case ParameterScale.Logarithmic:
                return Math.Clamp(Math.Log(p / Min) / Math.Log(Max / Min), 0, 1);
            case ParameterScale.List:
            case ParameterScale.Toggle:
                return Math.Round(p - Min) / StepCount;
            default:
                return (p - Min) / (Max - Min);
        }
    }

    /// <summary>Clamps to [0, 1]; NaN becomes the default so a bad host value cannot poison the DSP.</summary>
    public double SanitizeNormalized(double normalized)
    {
        if (double.IsNaN(normalized)) return DefaultNormalizedOrZero();
        return Math.Clamp(normalized, 0.0, 1.0);
    }

    // During construction DefaultNormalized is not set yet; it is 0 then, which is inside [0, 1].
    private double DefaultNormalizedOrZero() => DefaultNormalized;

    /// <summary>Text of a plain value, e.g. "-6.0 dB", "1000 Hz", "Peaking", "On".</summary>
    public string FormatPlain(double plain)
    {
        switch (Scale)
        {
            case ParameterScale.List:
                return _listEntries[(int)Math.Clamp(Math.Round(plain - Min), 0, StepCount)];
            case ParameterScale.Toggle:
                return plain >= 0.5 * (Min + Max) ? "On" : "Off";
            default:
                string number = Math.Clamp(plain, Min, Max).ToString("F" + Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                if (number.StartsWith('-') && double.Parse(number, CultureInfo.InvariantCulture) == 0) number = number.Substring(1);
                return Units.Length == 0 ? number : number + " " + Units;
        }
    }

    /// <summary>Text of a normalized value.</summary>
    public string Format(double normalized) => FormatPlain(ToPlain(normalized));

    /// <summary>
    /// Parses user text into a plain value: a number with or without the unit ("-6", "-6 dB", "-6.0dB"), a "k" multiplier
    /// for kilo ("1.5 kHz", "2k"), list entries by name or index, toggles as on/off/true/false/1/0. Out-of-range numbers
    /// are clamped; text that is not a value returns false.
    /// </summary>
    public bool TryParsePlain(string? text, out double plain)
    {
        plain = 0;
        if (text is null) return false;
        string s = text.Trim();
        if (s.Length == 0) return false;

        if (Scale == ParameterScale.List)
        {
            for (int i = 0; i < _listEntries.Length; i++)
            {
                if (string.Equals(_listEntries[i], s, StringComparison.OrdinalIgnoreCase)) { plain = Min + i; return true; }
            }
            if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) && index >= Min && index <= Max)
            {
                plain = index;
                return true;
            }
            return false;
        }

        if (Scale == ParameterScale.Toggle)
        {
            switch (s.ToLowerInvariant())
            {
                case "on": case "true": case "1": case "yes": plain = Max; return true;
                case "off": case "false": case "0": case "no": plain = Min; return true;
                default: return false;
            }
        }

        if (Units.Length > 0 && s.EndsWith(Units, StringComparison.OrdinalIgnoreCase))
            s = s.Substring(0, s.Length - Units.Length).TrimEnd();
        double multiplier = 1;
        if (s.EndsWith('k') || s.EndsWith('K'))
        {
            multiplier = 1000;
            s = s.Substring(0, s.Length - 1).TrimEnd();
        }
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            return false;
        plain = Math.Clamp(value * multiplier, Min, Max);
        return true;
    }

    /// <summary>Parses user text into a normalized value (see <see cref="TryParsePlain"/>).</summary>
    public bool TryParse(string? text, out double normalized)
    {
        normalized = DefaultNormalized;
        if (!TryParsePlain(text, out double plain)) return false;
        normalized = ToNormalized(plain);
        return true;
    }

    public override string ToString() => $"{Id}: {Title} [{Units}]";
}
