using NPlug.Buffers.Wav;

namespace NPlug.Buffers.Tests.Wav;

public sealed class WavRoundTripTests
{
    public static TheoryData<WavSampleFormat, int, WavHeaderStyle> Formats()
    {
        var data = new TheoryData<WavSampleFormat, int, WavHeaderStyle>();
        foreach (var format in Enum.GetValues<WavSampleFormat>())
        foreach (int channels in new[] { 1, 2, 6, 8 })
        foreach (var style in new[] { WavHeaderStyle.Plain, WavHeaderStyle.Extensible })
            data.Add(format, channels, style);
        return data;
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void RoundTrip_EveryFormat(WavSampleFormat sampleFormat, int channels, WavHeaderStyle style)
    {
        const int frames = 1001; // odd, so 8-bit mono/odd-channel files need the RIFF pad byte
        var rng = new Random(1234 + channels);
        var source = new double[channels][];
        for (int c = 0; c < channels; c++)
        {
            source[c] = new double[frames];
            for (int i = 0; i < frames; i++) source[c][i] = rng.NextDouble() * 2 - 1;
            source[c][0] = -1.0;   // most negative code
            source[c][1] = 0.0;
            source[c][2] = 0.99;   // near the top of the range
        }

        var format = new WavFormat(44100 + channels, channels, sampleFormat);
        using var stream = new MemoryStream();
        WavFile.Write(stream, format, source, style);
        Assert.Equal(0, stream.Length % 2);
        stream.Position = 0;

        using var reader = new WavReader(stream, leaveOpen: true);
        Assert.Equal(format.SampleRate, reader.Format.SampleRate);
        Assert.Equal(channels, reader.Format.ChannelCount);
        Assert.Equal(sampleFormat, reader.Format.SampleFormat);
        Assert.Equal(style == WavHeaderStyle.Extensible, reader.IsExtensible);
        Assert.Equal(frames, reader.FrameCount);
        var read = reader.ReadToEnd<double>();

        // Error bound from the format alone: half an LSB for PCM (2^-(bits-1) per LSB), float32 rounding, exact float64.
        double tolerance = sampleFormat switch
        {
            WavSampleFormat.Float64 => 0,
            WavSampleFormat.Float32 => 6e-8,
            _ => 0.5 / (1L << (format.BitsPerSample - 1)) + 1e-15,
        };
        // PCM has no code for +1.0: anything above the largest code reads back as that code.
        double top = format.IsFloat ? double.MaxValue : 1.0 - 1.0 / (1L << (format.BitsPerSample - 1));
        for (int c = 0; c < channels; c++)
        {
            for (int i = 0; i < frames; i++)
            {
                if (source[c][i] > top)
                {
                    Assert.Equal(top, read[c][i]);
                    continue;
                }

                double err = Math.Abs(read[c][i] - source[c][i]);
                Assert.True(err <= tolerance, $"ch {c} frame {i}: wrote {source[c][i]}, read {read[c][i]} (|err| {err} > {tolerance})");
            }

            Assert.Equal(-1.0, read[c][0]);
            Assert.Equal(0.0, read[c][1]);
        }
    }

    [Fact]
    public void Float_ReadAsFloat_IsBitExact()
    {
        var source = new[] { new[] { 0.1f, -0.7f, 1.5f, float.Epsilon } };
        using var stream = new MemoryStream();
        WavFile.Write(stream, new WavFormat(48000, 1, WavSampleFormat.Float32), source);
        stream.Position = 0;
        var read = WavFile.Read<float>(stream);
        Assert.Equal(source[0], read.Channels[0]);
    }

    [Fact]
    public void Pcm16_Bytes_MatchTheRiffSpecification()
    {
        using var stream = new MemoryStream();
        WavFile.Write(stream, new WavFormat(48000, 2, WavSampleFormat.Pcm16), new[] { new[] { 0.5 }, new[] { -0.25 } }, WavHeaderStyle.Plain);
        byte[] b = stream.ToArray();

        Assert.Equal(44 + 4, b.Length);
        Assert.Equal("RIFF"u8.ToArray(), b[0..4]);
        Assert.Equal(b.Length - 8, BitConverter.ToInt32(b, 4));
        Assert.Equal("WAVEfmt "u8.ToArray(), b[8..16]);
        Assert.Equal(16, BitConverter.ToInt32(b, 16));        // fmt size
        Assert.Equal(1, BitConverter.ToInt16(b, 20));         // WAVE_FORMAT_PCM
        Assert.Equal(2, BitConverter.ToInt16(b, 22));         // channels
        Assert.Equal(48000, BitConverter.ToInt32(b, 24));
        Assert.Equal(48000 * 4, BitConverter.ToInt32(b, 28)); // byte rate
        Assert.Equal(4, BitConverter.ToInt16(b, 32));         // block align
        Assert.Equal(16, BitConverter.ToInt16(b, 34));
        Assert.Equal("data"u8.ToArray(), b[36..40]);
        Assert.Equal(4, BitConverter.ToInt32(b, 40));
        Assert.Equal(16384, BitConverter.ToInt16(b, 44));     // 0.5 * 32768
        Assert.Equal(-8192, BitConverter.ToInt16(b, 46));     // -0.25 * 32768
    }

    [Fact]
    public void Extensible_Header_CarriesSubFormatGuidAndMask()
    {
        using var stream = new MemoryStream();
        WavFile.Write(stream, new WavFormat(96000, 6, WavSampleFormat.Float32), new double[6][].Select(_ => new double[3]).ToArray());
        byte[] b = stream.ToArray();

        Assert.Equal(40, BitConverter.ToInt32(b, 16));
        Assert.Equal(0xFFFE, BitConverter.ToUInt16(b, 20));
        Assert.Equal(22, BitConverter.ToInt16(b, 36));        // cbSize
        Assert.Equal(32, BitConverter.ToInt16(b, 38));        // valid bits
        Assert.Equal(0x3Fu, BitConverter.ToUInt32(b, 40));    // 5.1 speaker mask
        // KSDATAFORMAT_SUBTYPE_IEEE_FLOAT as published in ksmedia.h.
        Assert.Equal(new Guid("00000003-0000-0010-8000-00aa00389b71").ToByteArray(), b[44..60]);
        Assert.Equal("fact"u8.ToArray(), b[60..64]);
        Assert.Equal(3, BitConverter.ToInt32(b, 68));         // frames in the fact chunk
    }

    [Fact]
    public void Pcm24_NegativeFullScale_SignExtends()
    {
        using var stream = new MemoryStream();
        WavFile.Write(stream, new WavFormat(48000, 1, WavSampleFormat.Pcm24), new[] { new[] { -1.0, -1.0 / 8388608, 2.0, double.NaN } });
        byte[] b = stream.ToArray();
        Assert.Equal(new byte[] { 0x00, 0x00, 0x80, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0 }, b[^12..]);
        stream.Position = 0;
        var read = WavFile.Read<double>(stream).Channels[0];
        Assert.Equal(-1.0, read[0]);
        Assert.Equal(-1.0 / 8388608, read[1]);
        Assert.Equal(8388607.0 / 8388608, read[2]); // clipped to the largest code
        Assert.Equal(0.0, read[3]);                  // NaN written as silence
    }

    [Fact]
    public void StreamedReading_InBlocks_MatchesWholeRead()
    {
        var source = new[] { Enumerable.Range(0, 10_000).Select(i => Math.Sin(i * 0.01)).ToArray(), new double[10_000] };
        using var stream = new MemoryStream();
        WavFile.Write(stream, new WavFormat(48000, 2, WavSampleFormat.Pcm24), source);
        stream.Position = 0;
        using var reader = new WavReader(stream, leaveOpen: true);
        var dest = new[] { new float[10_000], new float[10_000] };
        int total = 0, n;
        while ((n = reader.Read(dest, total, Math.Min(333, 10_000 - total))) > 0) total += n;
        Assert.Equal(10_000, total);
        Assert.Equal(0, reader.Read(dest, 0, 10));
        for (int i = 0; i < 10_000; i++) Assert.True(Math.Abs(dest[0][i] - source[0][i]) < 1e-6);
    }
}
