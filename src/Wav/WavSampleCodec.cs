using System.Buffers.Binary;
using System.Numerics;

namespace NPlug.Buffers.Wav;

/// <summary>
/// Little-endian sample conversion. PCM maps full scale 2^(n-1) to 1.0 both ways (so every PCM code round-trips
/// exactly); encoding rounds to nearest and clamps to the code range, and NaN encodes as silence.
/// </summary>
internal static class WavSampleCodec
{
    /// <summary>Interleaved bytes of <paramref name="frames"/> frames into planar <paramref name="channels"/>[c][offset..].</summary>
    public static void Decode<T>(ReadOnlySpan<byte> bytes, WavFormat format, T[][] channels, int offset, int frames)
        where T : IFloatingPointIeee754<T>
    {
        int block = format.BlockAlign, size = format.BytesPerSample, count = format.ChannelCount;
        var sampleFormat = format.SampleFormat;
        for (int c = 0; c < count; c++)
        {
            var target = channels[c].AsSpan(offset, frames);
            var source = bytes[(c * size)..];
            for (int f = 0; f < target.Length; f++)
                target[f] = T.CreateTruncating(Decode(source.Slice(f * block, size), sampleFormat));
        }
    }

    /// <summary>Planar <paramref name="channels"/>[c][offset..] into interleaved bytes.</summary>
    public static void Encode<T>(T[][] channels, int offset, int frames, WavFormat format, Span<byte> bytes)
        where T : IFloatingPointIeee754<T>
    {
        int block = format.BlockAlign, size = format.BytesPerSample, count = format.ChannelCount;
        var sampleFormat = format.SampleFormat;
        for (int c = 0; c < count; c++)
        {
            var source = channels[c].AsSpan(offset, frames);
            var target = bytes[(c * size)..];
            for (int f = 0; f < source.Length; f++)
                Encode(double.CreateTruncating(source[f]), target.Slice(f * block, size), sampleFormat);
        }
    }

    public static double Decode(ReadOnlySpan<byte> bytes, WavSampleFormat format) => format switch
    {
        WavSampleFormat.Pcm8 => (bytes[0] - 128) / 128.0,
        WavSampleFormat.Pcm16 => BinaryPrimitives.ReadInt16LittleEndian(bytes) / 32768.0,
        WavSampleFormat.Pcm24 => ((bytes[0] | (bytes[1] << 8) | (bytes[2] << 16)) << 8 >> 8) / 8388608.0,
        WavSampleFormat.Pcm32 => BinaryPrimitives.ReadInt32LittleEndian(bytes) / 2147483648.0,
        WavSampleFormat.Float32 => BinaryPrimitives.ReadSingleLittleEndian(bytes),
        _ => BinaryPrimitives.ReadDoubleLittleEndian(bytes),
    };

    public static void Encode(double value, Span<byte> bytes, WavSampleFormat format)
    {
        switch (format)
        {
            case WavSampleFormat.Pcm8:
                bytes[0] = (byte)(Quantize(value, 128.0) + 128);
                break;
            case WavSampleFormat.Pcm16:
                BinaryPrimitives.WriteInt16LittleEndian(bytes, (short)Quantize(value, 32768.0));
                break;
            case WavSampleFormat.Pcm24:
                int v = (int)Quantize(value, 8388608.0);
                bytes[0] = (byte)v;
                bytes[1] = (byte)(v >> 8);
                bytes[2] = (byte)(v >> 16);
                break;
            case WavSampleFormat.Pcm32:
                BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)Quantize(value, 2147483648.0));
                break;
            case WavSampleFormat.Float32:
                BinaryPrimitives.WriteSingleLittleEndian(bytes, (float)value);
                break;
            default:
                BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
                break;
        }
    }

    private static long Quantize(double value, double fullScale)
    {
        if (double.IsNaN(value)) return 0;
        double scaled = Math.Round(value * fullScale, MidpointRounding.ToEven);
        if (scaled >= fullScale - 1) return (long)fullScale - 1;
        if (scaled <= -fullScale) return -(long)fullScale;
        return (long)scaled;
    }
}
