using System.Buffers.Binary;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;

namespace NPlug.Buffers.Tests.Abi.Api;

/// <summary>
/// The allocation-free host-thread contract of the Api layer (issue #14): value strings format into and parse from
/// spans, and state goes through one buffer per instance, sized at initialize from <c>MaxStateSize</c>.
/// </summary>
public class SpanContractTests
{
    private static readonly Parameter[] BuiltIns =
    [
        new RangeParameter(1, "Gain", -60, 12, 0, "dB", precision: 1),
        new LogRangeParameter(2, "Freq", 20, 20000, 1000, "Hz"),
        new ToggleParameter(3, "On"),
        new BypassParameter(4),
        new ListParameter(5, "Mode", ["Low Shelf", "Peaking", "High Shelf"], 1),
    ];

    [Fact]
    public void Built_in_parameters_format_and_parse_through_spans_like_their_strings_without_allocating()
    {
        Span<char> text = stackalloc char[127];
        foreach (var p in BuiltIns)
        {
            for (int k = 0; k <= 20; k++)
            {
                double n = k / 20.0;
                Assert.True(p.TryFormat(n, text, out int written));
                Assert.Equal(p.Format(n), new string(text[..written]));
                Assert.Equal(p.TryParse(p.Format(n), out double fromString), p.TryParse(text[..written], out double fromSpan));
                Assert.Equal(fromString, fromSpan);
            }
        }
        Assert.True(BuiltIns[0].TryParse("  -24 dB ".AsSpan(), out double gain));
        Assert.Equal(0.5, gain, 12);
        Assert.True(BuiltIns[4].TryParse("high shelf".AsSpan(), out double mode));
        Assert.Equal(1.0, mode);
        Assert.False(BuiltIns[2].TryParse("maybe".AsSpan(), out _));
        Assert.False(BuiltIns[0].TryFormat(0.5, text[..2], out _)); // "-24.0" does not fit in 2

        long before = GC.GetAllocatedBytesForCurrentThread();
        int ok = 0;
        for (int i = 0; i < 20_000; i++)
        {
            var p = BuiltIns[i % BuiltIns.Length];
            if (p.TryFormat((i % 97) / 96.0, text, out int written) && p.TryParse(text[..written], out _)) ok++;
        }
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(20_000, ok);
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void Controller_value_strings_go_into_the_callers_buffer()
    {
        var c = new Controller();
        Assert.Equal(TResult.ResultOk, c.Initialize());
        Span<char> text = stackalloc char[127];
        Assert.Equal(TResult.ResultOk, c.GetParamStringByValue(1, 0.5, text, out int written));
        Assert.Equal("-24.0", new string(text[..written]));
        Assert.Equal(TResult.InvalidArgument, c.GetParamStringByValue(99, 0.5, text, out _));
        Assert.Equal(TResult.ResultFalse, c.GetParamStringByValue(1, 0.5, text[..3], out _));
        Assert.Equal(TResult.ResultOk, c.GetParamValueByString(5, "Peaking".AsSpan(), out double n));
        Assert.Equal(0.5, n);
        Assert.Equal(TResult.ResultFalse, c.GetParamValueByString(5, "Notch".AsSpan(), out _));
    }

    [Fact]
    public void State_goes_through_the_preallocated_buffer_and_leaves_what_follows_the_blob_in_the_stream()
    {
        var p = new SpanStateProcessor();
        Assert.Equal(TResult.ResultOk, p.Initialize());
        Assert.Equal(SpanStateProcessor.Size, p.StateCapacity);
        p.Value = 0.25;

        var stream = new MemoryStream(new byte[256], 0, 256, writable: true, publiclyVisible: true);
        Assert.Equal(TResult.ResultOk, p.GetState(stream));
        Assert.Equal(SpanStateProcessor.BlobSize, stream.Position);
        stream.Write("host"u8);                         // a host's own data after the plugin's
        long end = stream.Position;

        p.Value = 0;
        stream.Position = 0;
        Assert.Equal(TResult.ResultOk, p.SetState(stream));
        Assert.Equal(0.25, p.Value);
        Assert.Equal(SpanStateProcessor.BlobSize, stream.Position); // just past the blob, not past what was read
        Span<byte> rest = stackalloc byte[4];
        stream.ReadExactly(rest);
        Assert.True(rest.SequenceEqual("host"u8));
        Assert.Equal(end, stream.Position);

        stream.Position = 0;
        stream.Write(new byte[SpanStateProcessor.BlobSize]);   // wrong magic: refused, value untouched
        stream.Position = 0;
        p.Value = 0.5;
        Assert.Equal(TResult.ResultFalse, p.SetState(stream));
        Assert.Equal(0.5, p.Value);

        // Steady state: 10,000 round trips allocate nothing.
        var buffer = new MemoryStream(new byte[64], 0, 64, writable: true, publiclyVisible: true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int ok = 0;
        for (int i = 0; i < 10_000; i++)
        {
            p.Value = i;
            buffer.Position = 0;
            if (p.GetState(buffer) != TResult.ResultOk) continue;
            buffer.Position = 0;
            if (p.SetState(buffer) == TResult.ResultOk && p.Value == i) ok++;
        }
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(10_000, ok);
        Assert.Equal(0, bytes);
    }

    private sealed class Controller : EditController
    {
        protected override void ConfigureParameters(ParameterList parameters)
        {
            foreach (var p in BuiltIns) parameters.Add(p);
        }
    }

    /// <summary>A 12-byte blob (magic + one double) in a 32-byte state buffer.</summary>
    private sealed class SpanStateProcessor : AudioProcessor
    {
        public const int Size = 32, BlobSize = 12;
        private const uint Magic = 0x54534554;

        public double Value { get; set; }

        protected override int MaxStateSize => Size;

        protected override void ConfigureBuses(BusLayout buses) => buses.AddAudioOutput("Out", SpeakerArrangements.Stereo);

        protected override void OnProcess(ProcessBlock block) { }

        protected override bool TryWriteState(Span<byte> destination, out int written)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
            BinaryPrimitives.WriteDoubleLittleEndian(destination[4..], Value);
            written = BlobSize;
            return true;
        }

        protected override bool TryReadState(ReadOnlySpan<byte> source, out int consumed)
        {
            consumed = 0;
            if (source.Length < BlobSize || BinaryPrimitives.ReadUInt32LittleEndian(source) != Magic) return false;
            Value = BinaryPrimitives.ReadDoubleLittleEndian(source[4..]);
            consumed = BlobSize;
            return true;
        }
    }
}
