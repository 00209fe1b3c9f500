using System.Globalization;
using NPlug.Buffers.Wav;

namespace NPlug.Buffers.Tests.Wav;

/// <summary>Files made by sox read correctly, and sox reads ours (sox is the independent reference).</summary>
public sealed class SoxInteropTests
{
    private const int Rate = 48000;
    private const double GainDb = -6.0;

    public static TheoryData<string, string, int, WavSampleFormat> SoxEncodings => new()
    {
        { "signed-integer", "16", 2, WavSampleFormat.Pcm16 },
        { "signed-integer", "24", 6, WavSampleFormat.Pcm24 },
        { "signed-integer", "32", 1, WavSampleFormat.Pcm32 },
        { "unsigned-integer", "8", 1, WavSampleFormat.Pcm8 },
        { "floating-point", "32", 2, WavSampleFormat.Float32 },
        { "floating-point", "64", 8, WavSampleFormat.Float64 },
    };

    [SoxTheory]
    [MemberData(nameof(SoxEncodings))]
    public void SoxSine_ReadsWithExpectedFrequencyPeakAndRms(string encoding, string bits, int channels, WavSampleFormat expected)
    {
        using var dir = new TempDir();
        string path = dir.File("sine.wav");
        // -D: no dither, so the quantized sine is exactly what the reference numbers below assume.
        Sox.RunChecked("-D", "-n", "-r", Rate.ToString(CultureInfo.InvariantCulture), "-c", channels.ToString(CultureInfo.InvariantCulture),
            "-e", encoding, "-b", bits, path, "synth", "1", "sine", "1000", "gain", GainDb.ToString(CultureInfo.InvariantCulture));

        var data = WavFile.Read<double>(path);
        Assert.Equal(expected, data.Format.SampleFormat);
        Assert.Equal(channels, data.Format.ChannelCount);
        Assert.Equal(Rate, data.Format.SampleRate);
        Assert.Equal(Rate, data.FrameCount);

        double peak = Math.Pow(10, GainDb / 20);
        double lsb = expected == WavSampleFormat.Pcm8 ? 1.0 / 128 : 1e-4;
        for (int c = 0; c < channels; c++)
        {
            var x = data.Channels[c];
            Assert.InRange(Signal.Peak(x), peak - lsb - 1e-4, peak + lsb + 1e-4);
            Assert.InRange(Signal.Rms(x), peak / Math.Sqrt(2) - lsb, peak / Math.Sqrt(2) + lsb);
            Assert.InRange(Signal.Frequency(x, Rate), 999.9, 1000.1);
        }
    }

    [SoxFact]
    public void SoxMultichannel_UsesExtensibleHeader()
    {
        using var dir = new TempDir();
        string path = dir.File("surround.wav");
        Sox.RunChecked("-D", "-n", "-r", "44100", "-c", "6", "-b", "24", path, "synth", "0.1", "sine", "440");
        using var reader = new WavReader(path);
        Assert.True(reader.IsExtensible);
        Assert.Equal(WavSampleFormat.Pcm24, reader.Format.SampleFormat);
        Assert.Equal(4410, reader.FrameCount);
    }

    public static TheoryData<WavSampleFormat, int, WavHeaderStyle> OurFormats()
    {
        var data = new TheoryData<WavSampleFormat, int, WavHeaderStyle>();
        foreach (var format in Enum.GetValues<WavSampleFormat>())
        foreach (int channels in new[] { 1, 2, 6, 8 })
            data.Add(format, channels, channels == 1 && format == WavSampleFormat.Pcm32 ? WavHeaderStyle.Extensible : WavHeaderStyle.Auto);
        return data;
    }

    [SoxTheory]
    [MemberData(nameof(OurFormats))]
    public void OurFiles_AreReadBySox_WithTheSamePeakAndRms(WavSampleFormat format, int channels, WavHeaderStyle style)
    {
        using var dir = new TempDir();
        string path = dir.File("ours.wav");
        var signal = new double[channels][];
        for (int c = 0; c < channels; c++)
        {
            signal[c] = new double[Rate / 2];
            for (int i = 0; i < signal[c].Length; i++) signal[c][i] = 0.25 * Math.Sin(2 * Math.PI * 440 * i / Rate);
        }

        WavFile.Write(path, new WavFormat(Rate, channels, format), signal, style);

        var (code, stdout, err) = Sox.Run("--i", path);
        Assert.True(code == 0, err);
        Assert.Contains($"Channels       : {channels}", stdout);
        Assert.Contains($"Sample Rate    : {Rate}", stdout);
        int bits = new WavFormat(Rate, 1, format).BitsPerSample;
        string encoding = format switch
        {
            WavSampleFormat.Float32 or WavSampleFormat.Float64 => "Floating Point",
            WavSampleFormat.Pcm8 => "Unsigned Integer",
            _ => "Signed Integer",
        };
        Assert.Contains($"Sample Encoding: {bits}-bit {encoding} PCM", stdout);

        double expectedPeakDb = 20 * Math.Log10(0.25);
        double expectedRmsDb = 20 * Math.Log10(0.25 / Math.Sqrt(2));
        double tolerance = format == WavSampleFormat.Pcm8 ? 0.1 : 0.01; // 8-bit: one LSB is 1/128 of full scale
        Assert.InRange(Sox.Stat(path, "Pk lev dB"), expectedPeakDb - tolerance, expectedPeakDb + tolerance);
        Assert.InRange(Sox.Stat(path, "RMS lev dB"), expectedRmsDb - tolerance, expectedRmsDb + tolerance);
    }
}
