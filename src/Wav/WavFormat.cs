namespace NPlug.Buffers.Wav;

/// <summary>How samples are stored in the data chunk.</summary>
public enum WavSampleFormat
{
    /// <summary>8-bit unsigned PCM (read and write; offset binary around 128).</summary>
    Pcm8 = 0,
    Pcm16,
    Pcm24,
    Pcm32,
    Float32,
    Float64,
}

/// <summary>Which <c>fmt </c> chunk layout a writer emits.</summary>
public enum WavHeaderStyle
{
    /// <summary><c>WAVE_FORMAT_EXTENSIBLE</c> when there are more than two channels (as Microsoft requires), plain otherwise.</summary>
    Auto = 0,

    /// <summary>Plain <c>WAVE_FORMAT_PCM</c> / <c>WAVE_FORMAT_IEEE_FLOAT</c>.</summary>
    Plain,

    /// <summary><c>WAVE_FORMAT_EXTENSIBLE</c> with a sub-format GUID and a channel mask.</summary>
    Extensible,
}

/// <summary>The format of a WAV file: rate, channels and sample encoding.</summary>
public readonly record struct WavFormat
{
    /// <summary>Channel counts this library reads and writes.</summary>
    public const int MaxChannels = 8;

    public WavFormat(int sampleRate, int channelCount, WavSampleFormat sampleFormat, uint channelMask = 0)
    {
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "Sample rate must be positive.");
        if (channelCount < 1 || channelCount > MaxChannels)
            throw new ArgumentOutOfRangeException(nameof(channelCount), channelCount, $"Channel count must be 1..{MaxChannels}.");
        if (!Enum.IsDefined(sampleFormat)) throw new ArgumentOutOfRangeException(nameof(sampleFormat), sampleFormat, "Unknown sample format.");
        SampleRate = sampleRate;
        ChannelCount = channelCount;
        SampleFormat = sampleFormat;
        ChannelMask = channelMask == 0 ? DefaultChannelMask(channelCount) : channelMask;
    }

    public int SampleRate { get; }

    public int ChannelCount { get; }

    public WavSampleFormat SampleFormat { get; }

    /// <summary>Speaker mask written in an extensible header (and read from one).</summary>
    public uint ChannelMask { get; }

    public int BitsPerSample => BytesPerSample * 8;

    public int BytesPerSample => SampleFormat switch
    {
        WavSampleFormat.Pcm8 => 1,
        WavSampleFormat.Pcm16 => 2,
        WavSampleFormat.Pcm24 => 3,
        WavSampleFormat.Pcm32 or WavSampleFormat.Float32 => 4,
        _ => 8,
    };

    /// <summary>Bytes per frame (all channels of one sample instant).</summary>
    public int BlockAlign => BytesPerSample * ChannelCount;

    public bool IsFloat => SampleFormat is WavSampleFormat.Float32 or WavSampleFormat.Float64;

    /// <summary>The usual WAVEFORMATEXTENSIBLE speaker mask for a channel count (front pair first, then centre, LFE, surrounds).</summary>
    public static uint DefaultChannelMask(int channelCount) => channelCount switch
    {
        1 => 0x4,     // front centre
        2 => 0x3,     // front left, front right
        3 => 0x7,     // L R C
        4 => 0x33,    // L R, back L R (quad)
        5 => 0x37,    // L R C, back L R
        6 => 0x3F,    // 5.1
        7 => 0x13F,   // 5.1 + back centre
        8 => 0x63F,   // 7.1: 5.1 + side L R
        _ => 0,
    };

    public override string ToString() => $"{SampleRate} Hz, {ChannelCount} ch, {SampleFormat}";
}
