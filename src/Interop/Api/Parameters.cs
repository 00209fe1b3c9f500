using System.Globalization;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Interop.Api;

/// <summary>
/// A parameter's description and its normalized ↔ plain ↔ string conversions. The conversions are
/// pure and allocation-free (except the string ones), so a processor can share the same definitions
/// to map normalized automation values to plain values on the audio thread.
/// </summary>
public abstract class Parameter
{
    private double _normalized;

    protected Parameter(uint id, string title, string units, int stepCount, double defaultNormalized, int flags)
    {
        if (id > ParamIds.MaxPluginParamId) throw new ArgumentOutOfRangeException(nameof(id), "Plugin parameter ids are 0..0x7FFFFFFF.");
        ArgumentException.ThrowIfNullOrEmpty(title);
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        if (!(defaultNormalized >= 0 && defaultNormalized <= 1)) throw new ArgumentOutOfRangeException(nameof(defaultNormalized));
        if ((flags & ParameterFlags.CanAutomate) != 0 && (flags & ParameterFlags.IsReadOnly) != 0)
            throw new ArgumentException("A parameter cannot be both automatable and read-only.", nameof(flags));
        Id = id;
        Title = title;
        ShortTitle = title;
        Units = units ?? string.Empty;
        StepCount = stepCount;
        DefaultNormalized = defaultNormalized;
        Flags = flags;
        _normalized = defaultNormalized;
    }

    public uint Id { get; }
    public string Title { get; }
    public string ShortTitle { get; init; }
    public string Units { get; }

    /// <summary>0 = continuous, 1 = toggle, n = n + 1 discrete values.</summary>
    public int StepCount { get; }

    public double DefaultNormalized { get; }

    /// <summary>The unit (group) this parameter belongs to; <see cref="Abi.Units.RootUnitId"/> by default.</summary>
    public int UnitId { get; init; } = Abi.Units.RootUnitId;

    /// <summary><see cref="ParameterFlags"/> bits.</summary>
    public int Flags { get; }

    public bool IsBypass => (Flags & ParameterFlags.IsBypass) != 0;

    /// <summary>The controller-side current value in [0, 1]; NaN is ignored, out-of-range is clamped.</summary>
    public double NormalizedValue
    {
        get => _normalized;
        set { if (!double.IsNaN(value)) _normalized = Math.Clamp(value, 0.0, 1.0); }
    }

    public double PlainValue
    {
        get => ToPlain(_normalized);
        set => NormalizedValue = ToNormalized(value);
    }

    public abstract double ToPlain(double normalized);

    public abstract double ToNormalized(double plain);

    /// <summary>Text for a normalized value (without units; hosts show <see cref="Units"/> next to it).</summary>
    public abstract string Format(double normalized);

    /// <summary>Parses text (as produced by <see cref="Format"/>) into a normalized value.</summary>
    public abstract bool TryParse(string text, out double normalized);

    /// <summary>
    /// The host-facing formatter (<c>getParamStringByValue</c> writes straight into the caller's <c>String128</c>
    /// through it): the text of <paramref name="normalized"/> in <paramref name="destination"/>; false when it does not
    /// fit. Override it allocation-free — the default goes through <see cref="Format"/> and allocates a string.
    /// </summary>
    public virtual bool TryFormat(double normalized, Span<char> destination, out int written)
    {
        string text = Format(normalized);
        if (text.Length > destination.Length) { written = 0; return false; }
        text.CopyTo(destination);
        written = text.Length;
        return true;
    }

    /// <summary>
    /// The host-facing parser (<c>getParamValueByString</c> reads the caller's UTF-16 in place through it). Override it
    /// allocation-free — the default makes a string and calls <see cref="TryParse(string, out double)"/>.
    /// </summary>
    public virtual bool TryParse(ReadOnlySpan<char> text, out double normalized) => TryParse(new string(text), out normalized);

    /// <summary>Fills the ABI description (strings truncated to 127 units).</summary>
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
        info.Flags = Flags;
    }

    /// <summary>Snaps a normalized value onto the step grid (continuous parameters only clamp).</summary>
    protected double Quantize(double normalized)
    {
        double n = double.IsNaN(normalized) ? DefaultNormalized : Math.Clamp(normalized, 0.0, 1.0);
        return StepCount == 0 ? n : Math.Round(n * StepCount) / StepCount;
    }
}

/// <summary>A linear range [min, max] with optional steps (stepCount &gt; 0 gives stepCount + 1 values).</summary>
public class RangeParameter : Parameter
{
    public RangeParameter(uint id, string title, double min, double max, double defaultPlain, string units = "",
        int stepCount = 0, int precision = 2, int flags = ParameterFlags.CanAutomate)
        : base(id, title, units, stepCount, NormalizedOf(min, max, defaultPlain), flags)
    {
        Min = min;
        Max = max;
        Precision = precision;
    }

    public double Min { get; }
    public double Max { get; }
    public int Precision { get; }

    public override double ToPlain(double normalized) => Min + Quantize(normalized) * (Max - Min);

    public override double ToNormalized(double plain) => Quantize(NormalizedOf(Min, Max, plain));

    private string NumberFormat => _numberFormat ??= "F" + Precision.ToString(CultureInfo.InvariantCulture);
    private string? _numberFormat;

    public override string Format(double normalized) => ToPlain(normalized).ToString(NumberFormat, CultureInfo.InvariantCulture);

    public override bool TryFormat(double normalized, Span<char> destination, out int written) =>
        ToPlain(normalized).TryFormat(destination, out written, NumberFormat, CultureInfo.InvariantCulture);

    public override bool TryParse(string text, out double normalized) => TryParse((text ?? string.Empty).AsSpan(), out normalized);

    public override bool TryParse(ReadOnlySpan<char> text, out double normalized)
    {
        normalized = 0;
        if (!TryParsePlain(text, out double plain)) return false;
        normalized = ToNormalized(plain);
        return true;
    }

    /// <summary>Parses a number, ignoring a trailing unit (e.g. "-6 dB", "440Hz"). Allocation-free.</summary>
    protected bool TryParsePlain(ReadOnlySpan<char> text, out double plain)
    {
        var s = text.Trim();
        if (Units.Length > 0 && s.EndsWith(Units, StringComparison.OrdinalIgnoreCase)) s = s[..^Units.Length].Trim();
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out plain) && double.IsFinite(plain);
    }

    private static double NormalizedOf(double min, double max, double plain)
    {
        if (!(max > min)) throw new ArgumentException("max must be greater than min.");
        return double.IsNaN(plain) ? 0 : Math.Clamp((plain - min) / (max - min), 0.0, 1.0);
    }
}

/// <summary>A logarithmic range (e.g. frequency): equal normalized steps are equal ratios. Requires 0 &lt; min &lt; max.</summary>
public sealed class LogRangeParameter : RangeParameter
{
    public LogRangeParameter(uint id, string title, double min, double max, double defaultPlain, string units = "",
        int precision = 1, int flags = ParameterFlags.CanAutomate)
        : base(id, title, CheckMin(min), max, LinearEquivalent(min, max, defaultPlain), units, 0, precision, flags)
    {
    }

    public override double ToPlain(double normalized) => Min * Math.Pow(Max / Min, Quantize(normalized));

    public override double ToNormalized(double plain)
    {
        if (double.IsNaN(plain)) return DefaultNormalized;
        double p = Math.Clamp(plain, Min, Max);
        return Math.Log(p / Min) / Math.Log(Max / Min);
    }

    private static double CheckMin(double min) =>
        min > 0 ? min : throw new ArgumentOutOfRangeException(nameof(min), "A logarithmic range needs min > 0.");

    // The base constructor computes the default linearly; hand it the linear plain value whose
    // normalized position equals the logarithmic one.
    private static double LinearEquivalent(double min, double max, double plain)
    {
        double n = Math.Log(Math.Clamp(plain, min, max) / min) / Math.Log(max / min);
        return min + n * (max - min);
    }
}

/// <summary>An on/off parameter (stepCount 1).</summary>
public class ToggleParameter : Parameter
{
    public ToggleParameter(uint id, string title, bool defaultOn = false, int flags = ParameterFlags.CanAutomate)
        : base(id, title, string.Empty, 1, defaultOn ? 1 : 0, flags)
    {
    }

    public override double ToPlain(double normalized) => normalized >= 0.5 ? 1 : 0;

    public override double ToNormalized(double plain) => plain >= 0.5 ? 1 : 0;

    public override string Format(double normalized) => normalized >= 0.5 ? "On" : "Off";

    public override bool TryFormat(double normalized, Span<char> destination, out int written)
    {
        string text = Format(normalized); // a literal: no allocation
        written = text.TryCopyTo(destination) ? text.Length : 0;
        return written > 0;
    }

    public override bool TryParse(string text, out double normalized) => TryParse((text ?? string.Empty).AsSpan(), out normalized);

    public override bool TryParse(ReadOnlySpan<char> text, out double normalized)
    {
        var s = text.Trim();
        if (s.Equals("On", StringComparison.OrdinalIgnoreCase) || s.SequenceEqual("1")) { normalized = 1; return true; }
        if (s.Equals("Off", StringComparison.OrdinalIgnoreCase) || s.SequenceEqual("0")) { normalized = 0; return true; }
        normalized = 0;
        return false;
    }
}

/// <summary>The bypass switch hosts look for (<c>kIsBypass | kCanAutomate</c>, a toggle).</summary>
public sealed class BypassParameter : ToggleParameter
{
    public BypassParameter(uint id, string title = "Bypass")
        : base(id, title, false, ParameterFlags.CanAutomate | ParameterFlags.IsBypass)
    {
    }
}

/// <summary>A choice among named items (<c>kIsList</c>); plain value = item index.</summary>
public sealed class ListParameter : Parameter
{
    private readonly string[] _items;

    public ListParameter(uint id, string title, IReadOnlyList<string> items, int defaultIndex = 0, int flags = ParameterFlags.CanAutomate)
        : base(id, title, string.Empty, CheckItems(items) - 1, DefaultOf(items.Count, defaultIndex), flags | ParameterFlags.IsList)
    {
        _items = items.ToArray();
    }

    public IReadOnlyList<string> Items => _items;

    public int IndexOf(double normalized) => (int)Math.Round(Quantize(normalized) * StepCount);

    public override double ToPlain(double normalized) => IndexOf(normalized);

    public override double ToNormalized(double plain) =>
        StepCount == 0 ? 0 : Math.Clamp(Math.Round(double.IsNaN(plain) ? 0 : plain), 0, StepCount) / StepCount;

    public override string Format(double normalized) => _items[IndexOf(normalized)];

    public override bool TryFormat(double normalized, Span<char> destination, out int written)
    {
        string item = _items[IndexOf(normalized)];
        written = item.TryCopyTo(destination) ? item.Length : 0;
        return written == item.Length;
    }

    public override bool TryParse(string text, out double normalized) => TryParse((text ?? string.Empty).AsSpan(), out normalized);

    public override bool TryParse(ReadOnlySpan<char> text, out double normalized)
    {
        var s = text.Trim();
        int i = -1;
        for (int k = 0; k < _items.Length; k++)
            if (s.Equals(_items[k], StringComparison.OrdinalIgnoreCase)) { i = k; break; }
        normalized = i < 0 ? 0 : ToNormalized(i);
        return i >= 0;
    }

    private static int CheckItems(IReadOnlyList<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count < 2) throw new ArgumentException("A list parameter needs at least two items.", nameof(items));
        return items.Count;
    }

    private static double DefaultOf(int count, int index) =>
        (uint)index < (uint)count ? (double)index / (count - 1) : throw new ArgumentOutOfRangeException(nameof(index));
}

/// <summary>The parameters of a controller, in host-visible order, with lookup by id.</summary>
public sealed class ParameterList
{
    private readonly List<Parameter> _list = new();
    private readonly Dictionary<uint, Parameter> _byId = new();

    public int Count => _list.Count;

    public Parameter this[int index] => _list[index];

    public T Add<T>(T parameter) where T : Parameter
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (!_byId.TryAdd(parameter.Id, parameter)) throw new ArgumentException($"Duplicate parameter id {parameter.Id}.", nameof(parameter));
        if (parameter.IsBypass && _list.Exists(p => p.IsBypass)) throw new ArgumentException("Only one bypass parameter is allowed.", nameof(parameter));
        _list.Add(parameter);
        return parameter;
    }

    public bool TryGet(uint id, out Parameter parameter) => _byId.TryGetValue(id, out parameter!);

    public IEnumerable<Parameter> All => _list;

    internal void Clear()
    {
        _list.Clear();
        _byId.Clear();
    }
}

/// <summary>A unit (parameter group) for <c>IUnitInfo</c>. The root unit (id 0) always exists implicitly.</summary>
public sealed record UnitDescription(int Id, string Name, int ParentUnitId = Abi.Units.RootUnitId, int ProgramListId = Abi.Units.NoProgramListId);
