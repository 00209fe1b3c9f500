using NPlug.Buffers.Wav;

namespace NPlug.Buffers.Tests.Wav;

/// <summary>The NAudio adapter's promises beyond the format: atomic writes and no allocation per block.</summary>
public sealed class WavAdapterTests
{
    private static double[][] Sine(int channels, int frames)
    {
        var x = new double[channels][];
        for (int c = 0; c < channels; c++)
        {
            x[c] = new double[frames];
            for (int i = 0; i < frames; i++) x[c][i] = 0.5 * Math.Sin(2 * Math.PI * 440 * i / 48000.0 + c);
        }

        return x;
    }

    [Fact]
    public void FailedWrite_LeavesNoFile_AndNoTemporaryFile()
    {
        using var dir = new TempDir();
        string path = dir.File("out.wav");
        var format = new WavFormat(48000, 2, WavSampleFormat.Pcm24);
        // The second channel is too short: the write fails after the header went to disk.
        Assert.Throws<ArgumentException>(() => WavFile.Write(path, format, [new double[1000], new double[10]]));
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void FailedWrite_KeepsThePreviousFile()
    {
        using var dir = new TempDir();
        string path = dir.File("out.wav");
        WavFile.Write(path, new WavFormat(48000, 1, WavSampleFormat.Float32), Sine(1, 100));
        byte[] before = File.ReadAllBytes(path);
        using (var writer = new WavWriter(path, new WavFormat(48000, 1, WavSampleFormat.Pcm16)))
        {
            writer.Write(Sine(1, 5000), 0, 5000);
            // Abandoned: disposed without Commit, as after an exception in a render.
        }

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Commit_RenamesIntoPlace_AndNAudioReadsItBack()
    {
        using var dir = new TempDir();
        string path = dir.File("out.wav");
        using (var writer = new WavWriter(path, new WavFormat(44100, 6, WavSampleFormat.Pcm16)))
        {
            writer.Write(Sine(6, 4410), 0, 4410);
            Assert.False(File.Exists(path)); // only the temporary file so far
            writer.Commit();
        }

        Assert.True(File.Exists(path));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
        // NAudio's own reader, independently of our decoding: format and length.
        using var naudio = new NAudio.Wave.WaveFileReader(path);
        Assert.Equal(6, naudio.WaveFormat.Channels);
        Assert.Equal(NAudio.Wave.WaveFormatEncoding.Extensible, naudio.WaveFormat.Encoding);
        Assert.Equal(4410 * 12, naudio.Length);
    }

    [Theory]
    [InlineData(WavSampleFormat.Pcm16, 2)]
    [InlineData(WavSampleFormat.Pcm24, 6)]
    [InlineData(WavSampleFormat.Float64, 8)]
    public void ReadingAndWritingBlocks_AllocatesNothing_AfterSetUp(WavSampleFormat sampleFormat, int channels)
    {
        using var dir = new TempDir();
        string path = dir.File("blocks.wav");
        const int block = 512, blocks = 200;
        var format = new WavFormat(48000, channels, sampleFormat);
        var planarF = new float[channels][];
        var planarD = new double[channels][];
        for (int c = 0; c < channels; c++)
        {
            planarF[c] = new float[block];
            planarD[c] = new double[block];
            for (int i = 0; i < block; i++) planarD[c][i] = planarF[c][i] = (float)Math.Sin(i * 0.01 * (c + 1));
        }

        using (var writer = new WavWriter(path, format))
        {
            writer.Write(planarD, 0, block); // first call: JIT and the file's first buffer
            writer.Write(planarF, 0, block);
            for (int b = 0; b < 20; b++) { writer.Write(planarD, 0, block); writer.Write(planarF, 0, block); }
            Thread.Sleep(150); // let tiered compilation settle (its one-off charges land on this thread)
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int b = 0; b < blocks; b++)
            {
                writer.Write(planarD, 0, block);
                writer.Write(planarF, 0, block);
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, allocated);
            writer.Commit();
        }

        using var reader = new WavReader(path);
        Assert.Equal((blocks + 21) * 2L * block, reader.FrameCount);
        reader.Read(planarD, 0, block);
        reader.Read(planarF, 0, block);
        // Tier-0 code, call counting and OSR transitions allocate once on this thread: read past them, let tiering settle.
        const int warmUp = 40;
        int total = 0;
        for (int b = 0; b < warmUp; b++)
        {
            total += reader.Read(planarD, 0, block);
            total += reader.Read(planarF, 0, block);
        }
        Thread.Sleep(150);
        long start = GC.GetAllocatedBytesForCurrentThread();
        for (int b = warmUp; b < blocks + 20; b++)
        {
            total += reader.Read(planarD, 0, block);
            total += reader.Read(planarF, 0, block);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - start);
        Assert.Equal((blocks + 20) * 2 * block, total);
        double lsb = sampleFormat == WavSampleFormat.Pcm16 ? 1.0 / 32768 : 1e-6;
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < block; i++) Assert.True(Math.Abs(planarF[c][i] - Math.Sin(i * 0.01 * (c + 1))) <= lsb, $"ch {c} frame {i}");
    }
}
