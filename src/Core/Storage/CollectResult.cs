namespace NPlug.Buffers.Storage;

/// <summary>
/// Outcome of collecting one host bus into <see cref="ProcessBufferStorage{T}"/>. Every value except
/// <see cref="Ok"/> means nothing was touched: neither the storage nor the host's channel array.
/// </summary>
public enum CollectResult
{
    /// <summary>The bus was collected; its view now exposes the configured channel count.</summary>
    Ok = 0,

    /// <summary>
    /// The bus exists but is inactive, so it has no storage and its view stays empty. Not an error for a
    /// wrapper: VST3 hosts still pass buffers for inactive buses, and they are simply ignored.
    /// </summary>
    InactiveBus,

    /// <summary>The bus index is outside the configuration.</summary>
    UnknownBus,

    /// <summary>The host passed more channels than the bus was configured with.</summary>
    TooManyChannels,

    /// <summary>The channel count is negative.</summary>
    InvalidChannelCount,

    /// <summary>The frame count is negative or above the maximum the storage was sized for.</summary>
    FrameCountOutOfRange,

    /// <summary>The storage was disposed.</summary>
    Disposed,
}

/// <summary>Options for a collect call.</summary>
[Flags]
public enum CollectOptions
{
    None = 0,

    /// <summary>
    /// Where the host passed a null channel pointer, store the substitute buffer's pointer back into the host's
    /// channel array, so the host reads what the plugin wrote (instruments whose host expects the plugin to
    /// supply output buffers). Only use it when the host's array is writable.
    /// </summary>
    WriteBackSubstitutes = 1,
}

/// <summary>Where a collected channel pointer came from.</summary>
public enum ChannelSource
{
    /// <summary>The bus or channel has not been collected since the last <see cref="ProcessBufferStorage{T}.Clear"/>.</summary>
    NotCollected = 0,

    /// <summary>The host's own buffer.</summary>
    Host,

    /// <summary>The shared zeroed scratch buffer standing in for a null input channel.</summary>
    ZeroedScratch,

    /// <summary>The shared discard buffer standing in for a null output channel of an effect.</summary>
    Discard,

    /// <summary>The instrument's internal output buffer for this channel.</summary>
    InternalOutput,
}
