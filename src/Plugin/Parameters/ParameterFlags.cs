namespace NPlug.Buffers.Plugin.Parameters;

/// <summary>
/// Parameter flags. The bit values are those of VST3's <c>ParameterInfo::ParameterFlags</c> so the adapter can pass
/// them through unchanged; nothing else in the model depends on VST3.
/// </summary>
[Flags]
public enum ParameterFlags
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
    /// <summary>plain = min + n·(max − min).</summary>
    Linear,
    /// <summary>plain = min·(max/min)^n — frequencies and Q, where equal ratios should feel equal.</summary>
    Logarithmic,
    /// <summary>Integer steps min..max named by <see cref="ParameterDefinition.ListEntries"/>.</summary>
    List,
    /// <summary>Off/On, two steps.</summary>
    Toggle,
}
