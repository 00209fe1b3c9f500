using System.Numerics;

namespace NPlug.Buffers.Wav;

/// <summary>A whole WAV file in memory: its format and one sample array per channel.</summary>
public sealed record WavData<T>(WavFormat Format, T[][] Channels) where T : IFloatingPointIeee754<T>
{
    public int FrameCount => Channels.Length == 0 ? 0 : Channels[0].Length;
}

/// <summary>One-call reading and writing of whole WAV files (through <see cref="WavReader"/> and <see cref="WavWriter"/>).</summary>
public static class WavFile
{
    public static WavData<T> Read<T>(string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var reader = new WavReader(path);
        return new WavData<T>(reader.Format, reader.ReadToEnd<T>());
    }

    public static WavData<T> Read<T>(Stream stream, string source = "stream") where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var reader = new WavReader(stream, source, leaveOpen: true);
        return new WavData<T>(reader.Format, reader.ReadToEnd<T>());
    }

    /// <summary>
    /// Writes planar samples; every channel array must hold at least the first channel's length. The file appears
    /// only when complete: on any failure the destination is left as it was.
    /// </summary>
    public static void Write<T>(string path, WavFormat format, T[][] channels, WavHeaderStyle style = WavHeaderStyle.Auto)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(channels);
        using var writer = new WavWriter(path, format, style);
        writer.Write(channels, 0, channels.Length == 0 ? 0 : channels[0].Length);
        writer.Commit();
    }

    public static void Write<T>(Stream stream, WavFormat format, T[][] channels, WavHeaderStyle style = WavHeaderStyle.Auto)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(channels);
        using var writer = new WavWriter(stream, format, style, leaveOpen: true);
        writer.Write(channels, 0, channels.Length == 0 ? 0 : channels[0].Length);
        writer.Commit();
    }
}
