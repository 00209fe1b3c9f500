using NAudio.Wave;

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

    /// <summary>The NAudio <see cref="WaveFormat"/> a writer puts in the <c>fmt </c> chunk.</summary>
    public WaveFormat ToWaveFormat(bool extensible)
    {
        if (extensible)
        {
            var subFormat = IsFloat ? AudioMediaSubtypes.MEDIASUBTYPE_IEEE_FLOAT : AudioMediaSubtypes.MEDIASUBTYPE_PCM;
            return new WaveFormatExtensible(SampleRate, BitsPerSample, ChannelCount, subFormat, BitsPerSample, (int)ChannelMask);
        }

        return SampleFormat switch
        {
            WavSampleFormat.Float32 => WaveFormat.CreateIeeeFloatWaveFormat(SampleRate, ChannelCount),
            WavSampleFormat.Float64 => WaveFormat.CreateCustomFormat(WaveFormatEncoding.IeeeFloat, SampleRate, ChannelCount,
                SampleRate * BlockAlign, BlockAlign, BitsPerSample),
            _ => new WaveFormat(SampleRate, BitsPerSample, ChannelCount),
        };
    }

    /// <summary>
    /// Our format from the one NAudio read, or a <see cref="WavFormatException"/> naming what is unsupported or
    /// inconsistent. <paramref name="isExtensible"/> tells whether the header was <c>WAVE_FORMAT_EXTENSIBLE</c>.
    /// </summary>
    public static WavFormat FromWaveFormat(WaveFormat wave, string source, out bool isExtensible)
    {
        ArgumentNullException.ThrowIfNull(wave);
        var encoding = wave.Encoding;
        uint mask = 0;
        isExtensible = encoding == WaveFormatEncoding.Extensible;
        if (isExtensible)
        {
            int validBits;
            Guid subFormat;
            if (wave is WaveFormatExtensible ext)
            {
                validBits = ext.ValidBitsPerSample;
                mask = (uint)ext.ChannelMask;
                subFormat = ext.SubFormat;
            }
            else
            {
                // WAVEFORMATEXTENSIBLE's 22 extra bytes: valid bits (2), channel mask (4), sub-format GUID (16).
                byte[] extra = wave is WaveFormatExtraData data ? data.ExtraData : [];
                if (extra.Length < 22)
                    throw new WavFormatException(WavProblem.InvalidHeader,
                        $"{source}: WAVE_FORMAT_EXTENSIBLE fmt chunk carries {extra.Length} extra bytes; 22 are required.");
                validBits = BitConverter.ToUInt16(extra, 0);
                mask = BitConverter.ToUInt32(extra, 2);
                subFormat = new Guid(extra.AsSpan(6, 16));
            }

            if (validBits > wave.BitsPerSample)
                throw new WavFormatException(WavProblem.InvalidHeader, $"{source}: {validBits} valid bits in a {wave.BitsPerSample}-bit container.");
            encoding = subFormat == AudioMediaSubtypes.MEDIASUBTYPE_PCM ? WaveFormatEncoding.Pcm
                : subFormat == AudioMediaSubtypes.MEDIASUBTYPE_IEEE_FLOAT ? WaveFormatEncoding.IeeeFloat
                : throw new WavFormatException(WavProblem.Unsupported, $"{source}: extensible sub-format {subFormat} is neither PCM nor IEEE float.");
        }

        int bits = wave.BitsPerSample;
        WavSampleFormat sampleFormat = (encoding, bits) switch
        {
            (WaveFormatEncoding.Pcm, 8) => WavSampleFormat.Pcm8,
            (WaveFormatEncoding.Pcm, 16) => WavSampleFormat.Pcm16,
            (WaveFormatEncoding.Pcm, 24) => WavSampleFormat.Pcm24,
            (WaveFormatEncoding.Pcm, 32) => WavSampleFormat.Pcm32,
            (WaveFormatEncoding.IeeeFloat, 32) => WavSampleFormat.Float32,
            (WaveFormatEncoding.IeeeFloat, 64) => WavSampleFormat.Float64,
            (WaveFormatEncoding.Pcm, _) => throw new WavFormatException(WavProblem.Unsupported, $"{source}: {bits}-bit PCM (supported: 8, 16, 24, 32)."),
            (WaveFormatEncoding.IeeeFloat, _) => throw new WavFormatException(WavProblem.Unsupported, $"{source}: {bits}-bit IEEE float (supported: 32, 64)."),
            _ => throw new WavFormatException(WavProblem.Unsupported,
                $"{source}: format tag 0x{(ushort)encoding:X4} ({encoding}; compressed or unknown; supported: PCM, IEEE float, extensible)."),
        };

        int channels = wave.Channels;
        if (channels <= 0) throw new WavFormatException(WavProblem.InvalidHeader, $"{source}: the fmt chunk declares {channels} channels.");
        if (channels > MaxChannels) throw new WavFormatException(WavProblem.Unsupported, $"{source}: {channels} channels (supported: 1..{MaxChannels}).");
        if (wave.SampleRate <= 0) throw new WavFormatException(WavProblem.InvalidHeader, $"{source}: sample rate {wave.SampleRate}.");
        var format = new WavFormat(wave.SampleRate, channels, sampleFormat, mask);
        if (wave.BlockAlign != format.BlockAlign)
            throw new WavFormatException(WavProblem.InvalidHeader,
                $"{source}: block align {wave.BlockAlign} does not match {channels} channels x {format.BytesPerSample} bytes.");
        return format;
    }
}
