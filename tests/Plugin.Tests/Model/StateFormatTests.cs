using System.Buffers.Binary;
using NPlug.Buffers.Plugin.GainEq;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Plugin.Sampler;


namespace NPlug.Buffers.Tests.Model;

public class StateFormatTests
{
    private const ushort Tag = 1;
    private static readonly ParameterList Layout = GainEqModel.Instance.Parameters;

    private static double[] RandomValues(Random rng)
    {
        var v = Layout.CreateDefaults();
        for (int i = 0; i < v.Length; i++) if (!Layout[i].IsReadOnly) v[i] = rng.NextDouble();
        return v;
    }

    [Fact]
    public void Round_trip_restores_every_writable_value()
    {
        var rng = new Random(7);
        var written = RandomValues(rng);
        byte[] blob = PluginStateFormat.Encode(Layout, Tag, written);
        var read = Layout.CreateDefaults();
        Assert.True(PluginStateFormat.TryDecode(Layout, Tag, blob, read));
        for (int i = 0; i < read.Length; i++)
        {
            if (Layout[i].IsReadOnly) Assert.Equal(Layout[i].DefaultNormalized, read[i]);
            else Assert.Equal(written[i], read[i]);
        }
    }

    [Fact]
    public void Header_fields_are_where_the_format_says()
    {
        byte[] blob = PluginStateFormat.Encode(Layout, Tag, Layout.CreateDefaults());
        Assert.Equal("NPBS"u8.ToArray(), blob[..4]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(4)));
        Assert.Equal(Tag, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(6)));
        int writable = Layout.All.ToArray().Count(p => !p.IsReadOnly);
        Assert.Equal((uint)(4 + 12 * writable), BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(8)));
        Assert.Equal(12 + 4 + 12 * writable + 4, blob.Length);
        // Independent CRC-32 check value: "123456789" → 0xCBF43926 (the standard's published check).
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    [Fact]
    public void Blob_of_another_class_is_refused()
    {
        byte[] blob = PluginStateFormat.Encode(SamplerModel.Instance.Parameters, 2, SamplerModel.Instance.Parameters.CreateDefaults());
        var values = Layout.CreateDefaults();
        Assert.False(PluginStateFormat.TryDecode(Layout, Tag, blob, values));
        Assert.False(PluginStateFormat.TryDecode(SamplerModel.Instance.Parameters, 1, blob, SamplerModel.Instance.Parameters.CreateDefaults()));
    }

    [Fact]
    public void Fuzzed_bytes_either_load_fully_or_leave_values_intact()
    {
        var rng = new Random(2026);
        var valid = PluginStateFormat.Encode(Layout, Tag, RandomValues(rng));
        int accepted = 0, refused = 0;
        for (int iteration = 0; iteration < 20000; iteration++)
        {
            byte[] bytes = Mutate(valid, rng, iteration);
            var before = RandomValues(rng);
            var values = (double[])before.Clone();
            bool ok = PluginStateFormat.TryDecode(Layout, Tag, bytes, values);
            if (ok)
            {
                accepted++;
                // Accepted means every writable value came from the bytes (checked by re-encoding to the same blob
                // when nothing was omitted) and is a valid normalized value.
                foreach (var v in values) Assert.InRange(v, 0, 1);
                Assert.Equal(bytes, PluginStateFormat.Encode(Layout, Tag, values));
            }
            else
            {
                refused++;
                Assert.Equal(before, values);
            }
        }
        Assert.True(refused > 15000, $"refused {refused}");
        Assert.True(accepted > 0, "the unmutated cases must load");
    }

    private static byte[] Mutate(byte[] valid, Random rng, int iteration)
    {
        switch (iteration % 6)
        {
            case 0: return valid; // control: must load
            case 1: // flip one byte
            {
                var b = (byte[])valid.Clone();
                b[rng.Next(b.Length)] ^= (byte)(1 + rng.Next(255));
                return b;
            }
            case 2: return valid[..rng.Next(valid.Length)]; // truncated
            case 3: // garbage of random length
            {
                var b = new byte[rng.Next(0, 400)];
                rng.NextBytes(b);
                if (b.Length >= 4 && rng.Next(2) == 0) "NPBS"u8.CopyTo(b);
                return b;
            }
            case 4: // trailing bytes
                return [.. valid, .. new byte[1 + rng.Next(8)]];
            default: // a valid checksum over a corrupted payload (value out of range, bad id, duplicate)
            {
                var b = (byte[])valid.Clone();
                int entry = 16 + 12 * rng.Next((b.Length - 20) / 12);
                switch (rng.Next(3))
                {
                    case 0: BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(entry + 4), rng.Next(2) == 0 ? double.NaN : 1.5); break;
                    case 1: BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(entry), 9999); break;
                    default: BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(entry), BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(16))); break;
                }
                if (entry == 16) BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(entry), 9999);
                BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(b.Length - 4), Crc32.Compute(b.AsSpan(0, b.Length - 4)));
                return b;
            }
        }
    }

    [Fact]
    public void Missing_parameters_take_defaults()
    {
        // A hand-built blob with only the gain parameter (as an older layout might write).
        var blob = new byte[12 + 4 + 12 + 4];
        "NPBS"u8.CopyTo(blob);
        BinaryPrimitives.WriteUInt16LittleEndian(blob.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(blob.AsSpan(6), Tag);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(8), 16);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(16), GainEqModel.OutputGain);
        BinaryPrimitives.WriteDoubleLittleEndian(blob.AsSpan(20), 0.25);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(28), Crc32.Compute(blob.AsSpan(0, 28)));
        var values = RandomValues(new Random(3));
        Assert.True(PluginStateFormat.TryDecode(Layout, Tag, blob, values));
        Layout.TryGetIndex(GainEqModel.OutputGain, out int g);
        for (int i = 0; i < values.Length; i++)
            if (!Layout[i].IsReadOnly) Assert.Equal(i == g ? 0.25 : Layout[i].DefaultNormalized, values[i]);
    }
}
