namespace NPlug.Buffers.Interop.Abi;

/// <summary>
/// The <c>tresult</c> values of one platform. VST3 selects a different enum on Windows
/// (<c>COM_COMPATIBLE = 1</c>, HRESULTs) than on Linux/macOS (small positive numbers), so every
/// code that crosses the ABI is taken from <see cref="TResult.Current"/>, never hard-coded.
/// </summary>
public readonly record struct ResultCodeTable(
    int NoInterface,
    int ResultOk,
    int ResultFalse,
    int InvalidArgument,
    int NotImplemented,
    int InternalError,
    int NotInitialized,
    int OutOfMemory)
{
    /// <summary><c>kResultTrue</c> is the same value as <c>kResultOk</c> on every platform.</summary>
    public int ResultTrue => ResultOk;

    /// <summary>The SDK name of a code in this table, for diagnostics (e.g. "kInvalidArgument").</summary>
    public string NameOf(int code)
    {
        if (code == ResultOk) return "kResultOk";
        if (code == ResultFalse) return "kResultFalse";
        if (code == NoInterface) return "kNoInterface";
        if (code == InvalidArgument) return "kInvalidArgument";
        if (code == NotImplemented) return "kNotImplemented";
        if (code == InternalError) return "kInternalError";
        if (code == NotInitialized) return "kNotInitialized";
        if (code == OutOfMemory) return "kOutOfMemory";
        return "0x" + code.ToString("X8");
    }
}

/// <summary>
/// The VST3 result codes of the running OS (the only place where the per-OS choice is made).
/// Compare with <c>== ResultOk</c>: on Linux the failure codes are positive, so <c>&lt; 0</c> is wrong.
/// </summary>
public static class TResult
{
    /// <summary>Linux and macOS (<c>COM_COMPATIBLE = 0</c>).</summary>
    public static readonly ResultCodeTable Unix = new(
        NoInterface: -1, ResultOk: 0, ResultFalse: 1, InvalidArgument: 2,
        NotImplemented: 3, InternalError: 4, NotInitialized: 5, OutOfMemory: 6);

    /// <summary>Windows (<c>COM_COMPATIBLE = 1</c>): the COM HRESULTs.</summary>
    public static readonly ResultCodeTable Windows = new(
        NoInterface: unchecked((int)0x80004002),
        ResultOk: 0,
        ResultFalse: 1,
        InvalidArgument: unchecked((int)0x80070057),
        NotImplemented: unchecked((int)0x80004001),
        InternalError: unchecked((int)0x80004005),
        NotInitialized: unchecked((int)0x8000FFFF),
        OutOfMemory: unchecked((int)0x8007000E));

    public static readonly ResultCodeTable Current = OperatingSystem.IsWindows() ? Windows : Unix;

    // Same on every platform, so they can be constants.
    public const int ResultOk = 0;
    public const int ResultTrue = 0;
    public const int ResultFalse = 1;

    // static readonly ints become JIT-time constants after tiering.
    public static readonly int NoInterface = Current.NoInterface;
    public static readonly int InvalidArgument = Current.InvalidArgument;
    public static readonly int NotImplemented = Current.NotImplemented;
    public static readonly int InternalError = Current.InternalError;
    public static readonly int NotInitialized = Current.NotInitialized;
    public static readonly int OutOfMemory = Current.OutOfMemory;

    /// <summary>Maps a caught exception to the code returned across the ABI.</summary>
    public static int FromException(Exception exception) => exception switch
    {
        ArgumentException => InvalidArgument,
        NotImplementedException or NotSupportedException => NotImplemented,
        InvalidOperationException => NotInitialized,
        OutOfMemoryException => OutOfMemory,
        _ => InternalError,
    };

    public static int FromBool(bool value) => value ? ResultTrue : ResultFalse;

    public static string NameOf(int code) => Current.NameOf(code);
}
