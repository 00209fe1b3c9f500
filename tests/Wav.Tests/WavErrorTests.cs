using NPlug.Buffers.Wav;

namespace NPlug.Buffers.Tests.Wav;

public sealed class WavErrorTests
{
    private static byte[] ValidFile(WavSampleFormat format = WavSampleFormat.Pcm16, int frames = 100)
    {
        using var stream = new MemoryStream();
        WavFile.Write(stream, new WavFormat(48000, 2, format), new[] { new double[frames], new double[frames] });
        return stream.ToArray();
    }

    private static WavFormatException ReadFails(byte[] bytes) =>
        Assert.Throws<WavFormatException>(() => WavFile.Read<float>(new MemoryStream(bytes)));

    [Fact]
    public void TruncatedData_NamesTheDataChunk()
    {
        byte[] file = ValidFile();
        var ex = ReadFails(file[..^101]);
        Assert.Equal(WavProblem.Truncated, ex.Problem);
        Assert.Contains("Truncated", ex.Message);
        Assert.Contains("data chunk declares 400 bytes but only 299 remain", ex.Message);
    }

    [Fact]
    public void TruncatedInsideFmt_NamesTheFmtChunk()
    {
        var ex = ReadFails(ValidFile()[..30]);
        Assert.Equal(WavProblem.Truncated, ex.Problem);
        Assert.Contains("ends inside its RIFF header or the fmt chunk (30 bytes in all)", ex.Message);
    }

    [Fact]
    public void TruncatedRiffHeader_NamesIt()
    {
        var ex = ReadFails(ValidFile()[..7]);
        Assert.Equal(WavProblem.Truncated, ex.Problem);
        Assert.Contains("ends inside its RIFF header", ex.Message);
    }

    [Fact]
    public void TruncatedFile_OnDisk_IsNamedInTheError()
    {
        using var dir = new TempDir();
        string path = dir.File("cut.wav");
        File.WriteAllBytes(path, ValidFile()[..^101]);
        var ex = Assert.Throws<WavFormatException>(() => WavFile.Read<double>(path));
        Assert.Equal(WavProblem.Truncated, ex.Problem);
        Assert.Contains(path, ex.Message);
        Assert.Contains("74 of 100 frames", ex.Message);
    }

    [Fact]
    public void NonSeekableStream_IsRefused_Plainly()
    {
        var ex = Assert.Throws<WavFormatException>(() => new WavReader(new NonSeekableStream(ValidFile()), "pipe"));
        Assert.Contains("pipe: the WAV reader needs a seekable stream", ex.Message);
    }

    [Fact]
    public void NotAWave_IsRejected()
    {
        var ex = ReadFails("hello, this is not audio at all"u8.ToArray());
        Assert.Equal(WavProblem.NotWave, ex.Problem);
        Assert.Contains("no RIFF header", ex.Message);
        byte[] avi = ValidFile();
        "AVI "u8.CopyTo(avi.AsSpan(8));
        Assert.Equal(WavProblem.NotWave, ReadFails(avi).Problem);
    }

    [Fact]
    public void CompressedFormatTag_IsUnsupported_AndNamed()
    {
        byte[] file = ValidFile();
        BitConverter.GetBytes((ushort)2).CopyTo(file, 20); // WAVE_FORMAT_ADPCM
        var ex = ReadFails(file);
        Assert.Equal(WavProblem.Unsupported, ex.Problem);
        Assert.Contains("0x0002", ex.Message);
    }

    [Fact]
    public void OddBitDepth_AndTooManyChannels_AreUnsupported()
    {
        byte[] file = ValidFile();
        BitConverter.GetBytes((ushort)12).CopyTo(file, 34);
        Assert.Contains("12-bit PCM", ReadFails(file).Message);

        file = ValidFile();
        BitConverter.GetBytes((ushort)9).CopyTo(file, 22);
        var ex = ReadFails(file);
        Assert.Equal(WavProblem.Unsupported, ex.Problem);
        Assert.Contains("9 channels", ex.Message);
    }

    [Fact]
    public void InconsistentBlockAlign_IsInvalidHeader()
    {
        byte[] file = ValidFile();
        BitConverter.GetBytes((ushort)6).CopyTo(file, 32);
        var ex = ReadFails(file);
        Assert.Equal(WavProblem.InvalidHeader, ex.Problem);
        Assert.Contains("block align 6", ex.Message);
    }

    [Fact]
    public void MissingDataChunk_IsNamed()
    {
        byte[] file = ValidFile()[..36]; // RIFF + fmt only
        var ex = ReadFails(file);
        Assert.Equal(WavProblem.MissingChunk, ex.Problem);
        Assert.Contains("No data chunk found", ex.Message);
    }

    [Fact]
    public void UnknownChunks_AreSkipped()
    {
        byte[] file = ValidFile(frames: 3);
        // Insert an odd-sized LIST chunk (with its pad byte) between fmt and data.
        byte[] list = [.. "LIST"u8.ToArray(), 3, 0, 0, 0, (byte)'a', (byte)'b', (byte)'c', 0];
        byte[] patched = [.. file[..36], .. list, .. file[36..]];
        BitConverter.GetBytes(patched.Length - 8).CopyTo(patched, 4);
        var data = WavFile.Read<float>(new MemoryStream(patched));
        Assert.Equal(3, data.FrameCount);
    }

    [Fact]
    public void DataBeforeFmt_IsReadFromASeekableStream()
    {
        byte[] file = ValidFile(frames: 4);
        byte[] fmt = file[12..36], data = file[36..];
        byte[] swapped = [.. file[..12], .. data, .. fmt];
        var read = WavFile.Read<float>(new MemoryStream(swapped));
        Assert.Equal(4, read.FrameCount);
    }

    [Fact]
    public void StreamedDataSize_RunsToTheEndOfTheFile()
    {
        byte[] file = ValidFile(frames: 5);
        BitConverter.GetBytes(uint.MaxValue).CopyTo(file, 40); // what a writer that could not seek back leaves
        Assert.Equal(5, WavFile.Read<float>(new MemoryStream(file)).FrameCount);
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
