using System.Globalization;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Interop.Api;

/// <summary>
/// Parameter flags. The bit values are those of VST3's <c>ParameterInfo::ParameterFlags</c>, so they pass through the
/// ABI unchanged.
/// </summary>
[Flags]
public enum AudioParameterFlags
{
    None = 0,
    CanAutomate = 1 << 0,
    IsReadOnly = 1 << 1,
    IsWrapAround = 1 << 2,
    IsList = 1 << 3,
    IsHidden = 1 << 4,
    IsProgramChange = 1 << 15,
    IsBypass = 1 << 16,
}

/// <summary>How a normalized value in [0, 1] maps to the plain value.</summary>
public enum ParameterScale
{
    /// <summary>plain = min + n·(max − min), optionally in steps.</summary>
    Linear,
    /// <summary>plain = min·(max/min)^n — frequencies and Q, where equal ratios should feel equal.</summary>
    Logarithmic,
    /// <summary>Integer steps min..max named by <see cref="AudioParameter.ListEntries"/>.</summary>
    List,
    /// <summary>Off/On, two steps.</summary>
    Toggle,
}

/// <summary>
/// One parameter of a plugin model: identity, range and taper, default, steps or list, flags, and the text shown to
/// users. Immutable, so one instance serves the processor (audio thread) and every controller of the class. Every
/// conversion — normalized ↔ plain and value ↔ text through <see cref="TryFormat"/>/<see cref="TryParse(ReadOnlySpan{char}, out double)"/>
/// — is allocation-free; the <see cref="string"/> overloads are conveniences for tests and tools.
/// </summary>
/// <remarks>
/// Steps follow the VST3 SDK: with <c>stepCount</c> s, plain = min + min(s, ⌊n·(s + 1)⌋) and n = round(plain − min)/s,
/// so every step owns an equal share of the normalized range.
/// </remarks>
public sealed class AudioParameter
{
    private readonly string[] _listEntries;
    private readonly string _numberFormat;
    // ln(max/min) of a logarithmic range (0 otherwise): ToPlain's exponent scale, taken once here.
    private readonly double _logRatio;

    public AudioParameter(
        uint id, string title, string shortTitle, string units,
        ParameterScale scale, double min, double max, double defaultPlain,
        AudioParameterFlags flags, int decimals = 1, string[]? listEntries = null, int steps = 0, bool unitInText = true)
    {
        if (string.IsNullOrEmpty(title)) throw new ArgumentException("A parameter needs a title.", nameof(title));
        if (id > ParamIds.MaxPluginParamId) throw new ArgumentOutOfRangeException(nameof(id), "Parameter ids must be below 0x80000000.");
        if (!(max > min)) throw new ArgumentException("max must exceed min.", nameof(max));
        if (scale == ParameterScale.Logarithmic && !(min > 0)) throw new ArgumentException("A logarithmic range must be positive.", nameof(min));
        if (!(defaultPlain >= min && defaultPlain <= max)) throw new ArgumentOutOfRangeException(nameof(defaultPlain));
        if ((flags & AudioParameterFlags.CanAutomate) != 0 && (flags & AudioParameterFlags.IsReadOnly) != 0)
            throw new ArgumentException($"{title}: a parameter cannot be both automatable and read-only.", nameof(flags));
        if ((flags & AudioParameterFlags.CanAutomate) != 0 && (flags & AudioParameterFlags.IsHidden) != 0)
            throw new ArgumentException($"{title}: a parameter cannot be both automatable and hidden.", nameof(flags));
        if ((flags & AudioParameterFlags.IsBypass) != 0 && (flags & ~(AudioParameterFlags.IsBypass | AudioParameterFlags.CanAutomate)) != 0)
            throw new ArgumentException($"{title}: a bypass parameter may only be automatable.", nameof(flags));
        ArgumentOutOfRangeException.ThrowIfNegative(steps);

        Id = id;
        Title = title;
        ShortTitle = string.IsNullOrEmpty(shortTitle) ? title : shortTitle;
        Units = units ?? string.Empty;
        Scale = scale;
        Min = min;
        Max = max;
        Decimals = decimals;
        UnitInText = unitInText;
        _numberFormat = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        _listEntries = listEntries ?? [];
        _logRatio = scale == ParameterScale.Logarithmic ? Math.Log(max / min) : 0;

        StepCount = scale switch
        {
            ParameterScale.Toggle => 1,
            ParameterScale.List => (int)Math.Round(max - min),
            ParameterScale.Linear => steps,
            _ => 0,
        };
        if (scale == ParameterScale.List && _listEntries.Length != StepCount + 1)
            throw new ArgumentException("A list parameter needs one entry per step.", nameof(listEntries));
        if (scale == ParameterScale.List) flags |= AudioParameterFlags.IsList;
        Flags = flags;
        DefaultNormalized = ToNormalized(defaultPlain);
    }

    // ---- ready-made shapes -----------------------------------------------------------------------

    /// <summary>A linear range, e.g. gain in dB.</summary>
    public static AudioParameter Linear(uint id, string title, double min, double max, double defaultPlain, string units = "",
        int decimals = 1, string? shortTitle = null, int steps = 0, bool unitInText = true, AudioParameterFlags flags = AudioParameterFlags.CanAutomate) =>
        new(id, title, shortTitle ?? title, units, ParameterScale.Linear, min, max, defaultPlain, flags, decimals, steps: steps, unitInText: unitInText);

    /// <summary>A logarithmic range, e.g. a frequency in Hz or a Q.</summary>
    public static AudioParameter Log(uint id, string title, double min, double max, double defaultPlain, string units = "",
        int decimals = 1, string? shortTitle = null, AudioParameterFlags flags = AudioParameterFlags.CanAutomate) =>
        new(id, title, shortTitle ?? title, units, ParameterScale.Logarithmic, min, max, defaultPlain, flags, decimals);

    /// <summary>An on/off switch.</summary>
    public static AudioParameter Toggle(uint id, string title, bool defaultOn = false, string? shortTitle = null,
        AudioParameterFlags flags = AudioParameterFlags.CanAutomate) =>
        new(id, title, shortTitle ?? title, "", ParameterScale.Toggle, 0, 1, defaultOn ? 1 : 0, flags);

    /// <summary>A choice among named entries; the plain value is the entry's index.</summary>
    public static AudioParameter List(uint id, string title, string[] entries, int defaultIndex = 0, string? shortTitle = null,
        AudioParameterFlags flags = AudioParameterFlags.CanAutomate)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Length < 2) throw new ArgumentException("A list parameter needs at least two entries.", nameof(entries));
        return new(id, title, shortTitle ?? title, "", ParameterScale.List, 0, entries.Length - 1, defaultIndex, flags, listEntries: entries);
    }

    /// <summary>The bypass switch hosts look for (<c>kIsBypass | kCanAutomate</c>).</summary>
    public static AudioParameter Bypass(uint id, string title = "Bypass", string shortTitle = "Byp") =>
        new(id, title, shortTitle, "", ParameterScale.Toggle, 0, 1, 0, AudioParameterFlags.CanAutomate | AudioParameterFlags.IsBypass);

    /// <summary>A read-only value the processor reports to the host (a meter).</summary>
    public static AudioParameter Meter(uint id, string title, double min, double max, string units = "", int decimals = 1, string? shortTitle = null) =>
        new(id, title, shortTitle ?? title, units, ParameterScale.Linear, min, max, min, AudioParameterFlags.IsReadOnly, decimals);

    // ---- description ------------------------------------------------------------------------------

    public uint Id { get; }
    public string Title { get; }
    public string ShortTitle { get; }
    public string Units { get; }
    public ParameterScale Scale { get; }
    public double Min { get; }
    public double Max { get; }
    /// <summary>0 = continuous, 1 = toggle, n = n + 1 discrete values (VST3's <c>stepCount</c>).</summary>
    public int StepCount { get; }
    public double DefaultNormalized { get; }
    public AudioParameterFlags Flags { get; }
    public int Decimals { get; }
    /// <summary>Whether value strings carry the unit ("-6.0 dB"); parsing accepts the text with or without it either way.</summary>
    public bool UnitInText { get; }
    public ReadOnlySpan<string> ListEntries => _listEntries;

    /// <summary>The unit (group) this parameter belongs to; 0 = the root unit.</summary>
    public int UnitId { get; init; }

    public bool IsReadOnly => (Flags & AudioParameterFlags.IsReadOnly) != 0;
    public bool IsBypass => (Flags & AudioParameterFlags.IsBypass) != 0;
    public bool CanAutomate => (Flags & AudioParameterFlags.CanAutomate) != 0;

    /// <summary>Position in its model (or list); -1 until added.</summary>
    public int Index { get; internal set; } = -1;

    // ---- conversions (allocation-free) --------------------------------------------------------------

    /// <summary>Normalized → plain. NaN reads as the default; values outside [0, 1] are clamped.</summary>
    public double ToPlain(double normalized) => ToPlainInRange(SanitizeNormalized(normalized));

    /// <summary><see cref="ToPlain"/> of a value already in [0, 1] (the framework's clamped host points).</summary>
    internal double ToPlainInRange(double n)
    {
        if (StepCount > 0) return Min + Math.Min(StepCount, Math.Floor(n * (StepCount + 1))) * StepSize;
        return Scale == ParameterScale.Logarithmic ? LogPlain(n) : Min + n * (Max - Min);
    }

    /// <summary>
    /// min·(max/min)^n as min·e^(n·ln(max/min)), with ln(max/min) taken at construction and the exponential computed in
    /// managed code (<see cref="ManagedMath.Exp"/>): Math.Pow is a call into the C library, a P/Invoke
    /// transition per automation point in a NativeAOT bundle. Within a few ulp of Math.Pow (the product n·ln(max/min)
    /// rounds once more); the ends are exactly min and max.
    /// </summary>
    private double LogPlain(double n)
    {
        if (n <= 0) return Min;
        if (n >= 1) return Max;
        return Math.Clamp(Min * ManagedMath.Exp(n * _logRatio), Min, Max);
    }

    /// <summary>Plain → normalized, clamped to [0, 1]. NaN reads as the default.</summary>
    public double ToNormalized(double plain)
    {
        if (double.IsNaN(plain)) return DefaultNormalized;
        double p = Math.Clamp(plain, Min, Max);
        if (StepCount > 0) return Math.Round((p - Min) / StepSize) / StepCount;
        return Scale == ParameterScale.Logarithmic
            ? Math.Clamp(Math.Log(p / Min) / Math.Log(Max / Min), 0, 1)
            : (p - Min) / (Max - Min);
    }

    // Plain distance between neighbouring steps: 1 for lists and toggles, (max − min)/steps for a stepped range.
    private double StepSize => Scale is ParameterScale.List or ParameterScale.Toggle ? 1 : (Max - Min) / StepCount;

    /// <summary>Clamps to [0, 1]; NaN becomes the default so a bad host value cannot poison the DSP.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public double SanitizeNormalized(double normalized) =>
        double.IsNaN(normalized) ? DefaultNormalized : Math.Clamp(normalized, 0.0, 1.0);

    // ---- text (allocation-free) ---------------------------------------------------------------------

    /// <summary>Writes the text of a normalized value, e.g. "-6.0 dB", "1000 Hz", "Peaking", "On".</summary>
    public bool TryFormat(double normalized, Span<char> destination, out int written) =>
        TryFormatPlain(ToPlain(normalized), destination, out written);

    /// <summary>Writes the text of a plain value.</summary>
    public bool TryFormatPlain(double plain, Span<char> destination, out int written)
    {
        written = 0;
        switch (Scale)
        {
            case ParameterScale.List:
                return TryCopy(_listEntries[(int)Math.Clamp(Math.Round(plain - Min), 0, StepCount)], destination, out written);
            case ParameterScale.Toggle:
                return TryCopy(plain >= 0.5 * (Min + Max) ? "On" : "Off", destination, out written);
        }
        if (!Math.Clamp(plain, Min, Max).TryFormat(destination, out int n, _numberFormat, CultureInfo.InvariantCulture)) return false;
        // "-0.0" reads as a negative value to users; a number that rounds to zero has no sign.
        if (n > 1 && destination[0] == '-' && destination[1..n].TrimStart("0.").IsEmpty)
        {
            destination[1..n].CopyTo(destination);
            n--;
        }
        if (UnitInText && Units.Length > 0)
        {
            if (destination.Length < n + 1 + Units.Length) return false;
            destination[n++] = ' ';
            Units.AsSpan().CopyTo(destination[n..]);
            n += Units.Length;
        }
        written = n;
        return true;
    }

    private static bool TryCopy(string text, Span<char> destination, out int written)
    {
        written = text.Length;
        if (!text.AsSpan().TryCopyTo(destination)) { written = 0; return false; }
        return true;
    }

    /// <summary>
    /// Parses user text into a plain value: a number with or without the unit ("-6", "-6 dB", "-6.0dB"), a "k"
    /// multiplier for kilo ("1.5 kHz", "2k"), list entries by name or index, toggles as on/off/true/false/yes/no/1/0.
    /// Out-of-range numbers are clamped; text that is not a value returns false.
    /// </summary>
    public bool TryParsePlain(ReadOnlySpan<char> text, out double plain)
    {
        plain = 0;
        var s = text.Trim();
        if (s.IsEmpty) return false;

        if (Scale == ParameterScale.List)
        {
            for (int i = 0; i < _listEntries.Length; i++)
            {
                if (s.Equals(_listEntries[i], StringComparison.OrdinalIgnoreCase)) { plain = Min + i; return true; }
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
            if (s.Equals("on", StringComparison.OrdinalIgnoreCase) || s.Equals("true", StringComparison.OrdinalIgnoreCase) ||
                s.Equals("yes", StringComparison.OrdinalIgnoreCase) || s.SequenceEqual("1")) { plain = Max; return true; }
            if (s.Equals("off", StringComparison.OrdinalIgnoreCase) || s.Equals("false", StringComparison.OrdinalIgnoreCase) ||
                s.Equals("no", StringComparison.OrdinalIgnoreCase) || s.SequenceEqual("0")) { plain = Min; return true; }
            return false;
        }

        if (Units.Length > 0 && s.EndsWith(Units, StringComparison.OrdinalIgnoreCase)) s = s[..^Units.Length].TrimEnd();
        double multiplier = 1;
        if (s.Length > 0 && (s[^1] == 'k' || s[^1] == 'K'))
        {
            multiplier = 1000;
            s = s[..^1].TrimEnd();
        }
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value)) return false;
        plain = Math.Clamp(value * multiplier, Min, Max);
        return true;
    }

    /// <summary>Parses user text into a normalized value (see <see cref="TryParsePlain(ReadOnlySpan{char}, out double)"/>).</summary>
    public bool TryParse(ReadOnlySpan<char> text, out double normalized)
    {
        normalized = DefaultNormalized;
        if (!TryParsePlain(text, out double plain)) return false;
        normalized = ToNormalized(plain);
        return true;
    }

    /// <summary>Longest text <see cref="TryFormat"/> can write (bounded by the model, so callers size buffers once).</summary>
    public const int MaxTextLength = 128;

    // ---- conveniences (allocate; tests, tools, UI code) --------------------------------------------------

    public string Format(double normalized) => FormatPlain(ToPlain(normalized));

    public string FormatPlain(double plain)
    {
        Span<char> buffer = stackalloc char[MaxTextLength];
        return TryFormatPlain(plain, buffer, out int n) ? new string(buffer[..n]) : string.Empty;
    }

    public bool TryParse(string? text, out double normalized) => TryParse(text.AsSpan(), out normalized);

    public bool TryParsePlain(string? text, out double plain) => TryParsePlain(text.AsSpan(), out plain);

    /// <summary>Fills the ABI description (strings truncated to 127 UTF-16 units).</summary>
    public void GetInfo(out ParameterInfo info)
    {
        info = default;
        info.Id = Id;
        AbiStrings.Write(ref info.Title, Title);
        AbiStrings.Write(ref info.ShortTitle, ShortTitle);
        AbiStrings.Write(ref info.Units, Units);
        info.StepCount = StepCount;
        info.DefaultNormalizedValue = DefaultNormalized;
        info.UnitId = UnitId;
        info.Flags = (int)Flags;
    }

    public override string ToString() => $"{Id}: {Title} [{Units}]";
}

/// <summary>
/// An ordered parameter list with an id → index map. Lookups never allocate, so the audio thread may use
/// <see cref="TryGetIndex"/>. The validator's flag rules are checked as parameters are added.
/// </summary>
public sealed class ParameterList
{
    /// <summary>Ids below this are also found through <see cref="_denseIndex"/>, without hashing.</summary>
    private const uint DenseIdLimit = 4096;

    private readonly List<AudioParameter> _list = new();
    private readonly Dictionary<uint, int> _indexById = new();
    // id → index + 1 for every id below DenseIdLimit (0: no parameter has that id), as long as the largest such id:
    // TryGetIndex runs per host queue per block on the audio thread, and models number their parameters from small
    // ids. Larger ids are found in _indexById only (checked only when a model has one).
    private int[] _denseIndex = [];
    private bool _hasSparseIds;

    public ParameterList() { }

    public ParameterList(params AudioParameter[] parameters)
    {
        foreach (var p in parameters) Add(p);
    }

    public int Count => _list.Count;

    public AudioParameter this[int index] => _list[index];

    /// <summary>Index of the bypass parameter, or -1.</summary>
    public int BypassIndex { get; private set; } = -1;

    public AudioParameter Add(AudioParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (parameter.IsBypass && BypassIndex >= 0) throw new ArgumentException("Only one bypass parameter is allowed.", nameof(parameter));
        if (!_indexById.TryAdd(parameter.Id, _list.Count)) throw new ArgumentException($"Duplicate parameter id {parameter.Id}.", nameof(parameter));
        if (parameter.IsBypass) BypassIndex = _list.Count;
        if (parameter.Id < DenseIdLimit)
        {
            if (parameter.Id >= (uint)_denseIndex.Length) Array.Resize(ref _denseIndex, (int)parameter.Id + 1);
            _denseIndex[parameter.Id] = _list.Count + 1;
        }
        else _hasSparseIds = true;
        if (parameter.Index < 0) parameter.Index = _list.Count;
        _list.Add(parameter);
        return parameter;
    }

    /// <summary>The list index of the parameter with <paramref name="id"/> (0 and false when there is none); allocation-free.</summary>
    public bool TryGetIndex(uint id, out int index)
    {
        var dense = _denseIndex;
        if (id < (uint)dense.Length)
        {
            index = dense[id] - 1;
            if (index >= 0) return true;
            index = 0;
            return false;
        }
        if (_hasSparseIds) return _indexById.TryGetValue(id, out index);
        index = 0;
        return false;
    }

    public bool TryGet(uint id, out AudioParameter parameter)
    {
        bool found = TryGetIndex(id, out int index);
        parameter = found ? _list[index] : null!;
        return found;
    }

    public AudioParameter? Find(uint id) => TryGetIndex(id, out int i) ? _list[i] : null;

    public IReadOnlyList<AudioParameter> All => _list;

    /// <summary>A fresh array of every parameter's default normalized value, in list order.</summary>
    public double[] CreateDefaults()
    {
        var values = new double[_list.Count];
        for (int i = 0; i < values.Length; i++) values[i] = _list[i].DefaultNormalized;
        return values;
    }

    internal void Clear()
    {
        _list.Clear();
        _indexById.Clear();
        _denseIndex = [];
        _hasSparseIds = false;
        BypassIndex = -1;
    }
}

/// <summary>A unit (parameter group) for <c>IUnitInfo</c>. The root unit (id 0) always exists implicitly.</summary>
public sealed record UnitDescription(int Id, string Name, int ParentUnitId = 0, int ProgramListId = -1);
