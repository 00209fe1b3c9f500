using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Interop.Api;

// Enum values equal the ABI integers, so conversions at the boundary are plain casts.

/// <summary>Sample precision negotiated in setupProcessing (<c>SymbolicSampleSizes</c>).</summary>
public enum SampleSize
{
    Float32 = SymbolicSampleSizes.Sample32,
    Float64 = SymbolicSampleSizes.Sample64,
}

/// <summary><c>ProcessModes</c>.</summary>
public enum ProcessMode
{
    Realtime = ProcessModes.Realtime,
    Prefetch = ProcessModes.Prefetch,
    Offline = ProcessModes.Offline,
}

/// <summary><c>BusTypes</c>: all main buses come before auxiliary (side-chain) buses.</summary>
public enum BusType
{
    Main = BusTypes.Main,
    Aux = BusTypes.Aux,
}

/// <summary><c>MediaTypes</c>.</summary>
public enum MediaType
{
    Audio = MediaTypes.Audio,
    Event = MediaTypes.Event,
}

/// <summary>The values a processor receives from <c>setupProcessing</c>; fixed while the processor is active.</summary>
public readonly record struct ProcessSetupInfo(ProcessMode Mode, SampleSize SampleSize, int MaxSamplesPerBlock, double SampleRate)
{
    public static ProcessSetupInfo FromNative(in ProcessSetup s) =>
        new((ProcessMode)s.ProcessMode, (SampleSize)s.SymbolicSampleSize, s.MaxSamplesPerBlock, s.SampleRate);

    public ProcessSetup ToNative() => new()
    {
        ProcessMode = (int)Mode,
        SymbolicSampleSize = (int)SampleSize,
        MaxSamplesPerBlock = MaxSamplesPerBlock,
        SampleRate = SampleRate,
    };

    /// <summary>True for values a processor can work with (positive block size and finite positive rate, known precision and mode).</summary>
    public bool IsValid =>
        MaxSamplesPerBlock > 0 && double.IsFinite(SampleRate) && SampleRate > 0 &&
        (SampleSize == SampleSize.Float32 || SampleSize == SampleSize.Float64) &&
        Mode is ProcessMode.Realtime or ProcessMode.Prefetch or ProcessMode.Offline;
}
