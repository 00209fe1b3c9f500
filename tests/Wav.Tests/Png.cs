using System.Buffers.Binary;
using System.IO.Compression;

namespace NPlug.Buffers.Tests.Wav;

/// <summary>
/// A small independent PNG decoder for the tests (8-bit RGB/RGBA, non-interlaced, as ScottPlot/Skia write them):
/// checks the signature and every chunk's CRC, inflates IDAT and undoes the scanline filters.
/// </summary>
internal sealed class Png
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private Png(int width, int height, int channels, byte[] pixels)
    {
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public int Channels { get; }

    public byte[] Pixels { get; }

    /// <summary>
    /// Text above the plot: dark pixels (R, G, B all below 100) in the rows above the frame's top edge, the first row
    /// that is dark across more than half the width. A font that renders nothing leaves those rows blank.
    /// </summary>
    public bool HasText
    {
        get
        {
            int frame = Enumerable.Range(0, Height).FirstOrDefault(r => CountDark(r, r + 1) > Width / 2, -1);
            return frame > 0 && CountDark(0, frame) > 20;
        }
    }

    public int CountDark(int fromRow, int toRow)
    {
        int n = 0;
        for (int y = fromRow; y < toRow; y++)
            for (int x = 0; x < Width; x++)
            {
                int i = (y * Width + x) * Channels;
                if (Pixels[i] < 100 && Pixels[i + 1] < 100 && Pixels[i + 2] < 100) n++;
            }

        return n;
    }

    public static Png Read(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        Assert.True(file.AsSpan(0, 8).SequenceEqual(Signature), $"{path} does not start with the PNG signature");
        int at = 8, width = 0, height = 0, colourType = -1;
        using var idat = new MemoryStream();
        bool ended = false;
        while (at < file.Length && !ended)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(file, at + 4, 4);
            var data = file.AsSpan(at + 8, length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at + 8 + length));
            Assert.Equal(crc, Crc32.Compute(file.AsSpan(at + 4, length + 4)));
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    Assert.Equal(8, data[8]);      // bit depth
                    colourType = data[9];
                    Assert.Equal(0, data[12]);     // not interlaced
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
                case "IEND":
                    ended = true;
                    break;
            }

            at += 12 + length;
        }

        Assert.True(ended, "no IEND chunk");
        int channels = colourType switch { 2 => 3, 6 => 4, _ => throw new InvalidDataException($"colour type {colourType}") };
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        z.CopyTo(raw);
        byte[] scan = raw.ToArray();
        int stride = width * channels;
        Assert.Equal((stride + 1) * height, scan.Length);
        var pixels = new byte[stride * height];
        for (int y = 0; y < height; y++)
        {
            int filter = scan[y * (stride + 1)];
            for (int x = 0; x < stride; x++)
            {
                int raw8 = scan[y * (stride + 1) + 1 + x];
                int a = x >= channels ? pixels[y * stride + x - channels] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
                int c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
                int predicted = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"filter {filter}"),
                };
                pixels[y * stride + x] = (byte)(raw8 + predicted);
            }
        }

        return new Png(width, height, channels, pixels);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}

/// <summary>CRC-32 (ISO-HDLC, as PNG uses), bitwise: a test needs no table.</summary>
internal static class Crc32
{
    public static uint Compute(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }

        return ~crc;
    }
}
