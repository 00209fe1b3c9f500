using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;

namespace NPlug.Buffers.Tests.Abi.Api;

/// <summary>The one parameter type (<see cref="AudioParameter"/>) in the shapes the raw API used to offer as subclasses.</summary>
public class ParameterTests
{
    [Fact]
    public void Linear_range_maps_analytically_and_round_trips()
    {
        var p = AudioParameter.Linear(1, "Gain", -60, 12, 0, "dB", decimals: 1, unitInText: false);
        Assert.Equal(60.0 / 72.0, p.DefaultNormalized, 12);
        Assert.Equal(-60, p.ToPlain(0));
        Assert.Equal(12, p.ToPlain(1));
        Assert.Equal(-24, p.ToPlain(0.5));
        Assert.Equal(0.25, p.ToNormalized(-42), 12);
        Assert.Equal("-24.0", p.Format(0.5));
        Assert.True(p.TryParse("-24 dB", out double n));
        Assert.Equal(0.5, n, 12);
        Assert.False(p.TryParse("loud", out _));
        Assert.Equal(1.0, p.ToNormalized(1000));   // clamped
        Assert.Equal(p.DefaultNormalized, p.SanitizeNormalized(double.NaN)); // NaN never reaches a value
    }

    [Fact]
    public void Controller_values_ignore_nan()
    {
        var list = new ParameterList(AudioParameter.Linear(1, "Gain", -60, 12, 0, "dB"));
        var store = new ParameterStore(list);
        store[0] = double.NaN;
        Assert.Equal(list[0].DefaultNormalized, store[0]);
    }

    [Fact]
    public void Stepped_range_snaps_to_the_grid()
    {
        var p = AudioParameter.Linear(2, "Steps", 0, 4, 0, steps: 4);
        Assert.Equal(1, p.ToPlain(0.3));  // 0.3*5 = 1.5 -> step 1
        Assert.Equal(0.5, p.ToNormalized(2.2));
    }

    [Fact]
    public void Log_range_maps_equal_ratios_to_equal_steps()
    {
        var f = AudioParameter.Log(3, "Freq", 20, 20000, 632.4555320336759, "Hz");
        Assert.Equal(20, f.ToPlain(0), 9);
        Assert.Equal(20000, f.ToPlain(1), 6);
        Assert.Equal(Math.Sqrt(20 * 20000), f.ToPlain(0.5), 6);
        Assert.Equal(0.5, f.DefaultNormalized, 9);
        Assert.Equal(1.0 / 3.0, f.ToNormalized(200), 12);
    }

    [Fact]
    public void Toggle_list_and_bypass()
    {
        var b = AudioParameter.Bypass(9);
        Assert.Equal(1, b.StepCount);
        Assert.Equal(AudioParameterFlags.CanAutomate | AudioParameterFlags.IsBypass, b.Flags);
        var l = AudioParameter.List(4, "Mode", ["A", "B", "C"], 1);
        Assert.Equal(2, l.StepCount);
        Assert.Equal(0.5, l.DefaultNormalized);
        Assert.Equal("C", l.Format(0.9));
        Assert.True(l.TryParse("b", out double n));
        Assert.Equal(0.5, n);
        Assert.NotEqual(AudioParameterFlags.None, l.Flags & AudioParameterFlags.IsList);
    }

    [Fact]
    public void Invalid_definitions_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AudioParameter.Toggle(0x80000000, "x"));
        Assert.Throws<ArgumentException>(() => AudioParameter.Toggle(1, "x", flags: AudioParameterFlags.CanAutomate | AudioParameterFlags.IsReadOnly));
        var list = new ParameterList();
        list.Add(AudioParameter.Toggle(1, "a"));
        Assert.Throws<ArgumentException>(() => list.Add(AudioParameter.Toggle(1, "b")));
        list.Add(AudioParameter.Bypass(2));
        Assert.Throws<ArgumentException>(() => list.Add(AudioParameter.Bypass(3)));
    }

    [Fact]
    public void Info_is_written_with_truncated_titles()
    {
        var p = AudioParameter.Linear(7, new string('t', 200), 0, 1, 0.25, "u");
        p.GetInfo(out var info);
        Assert.Equal(7u, info.Id);
        Assert.Equal(127, AbiStrings.Read(in info.Title).Length);
        Assert.Equal("u", AbiStrings.Read(in info.Units));
        Assert.Equal(0.25, info.DefaultNormalizedValue);
    }

    [Fact]
    public void Text_formats_into_and_parses_from_spans_without_allocating()
    {
        var p = AudioParameter.Log(5, "Freq", 20, 20000, 1000, "Hz", decimals: 0);
        Span<char> text = stackalloc char[AudioParameter.MaxTextLength];
        Assert.True(p.TryFormat(0.5, text, out int n)); // warm-up
        long before = GC.GetAllocatedBytesForCurrentThread();
        double sum = 0;
        for (int i = 0; i < 10_000; i++)
        {
            Assert.True(p.TryFormat(i / 10_000.0, text, out n));
            Assert.True(p.TryParse(text[..n], out double back));
            sum += back;
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.True(sum > 0);
        Assert.True(p.TryFormat(0.5, text, out n));
        Assert.Equal("632 Hz", text[..n].ToString());
        Assert.False(p.TryFormat(0.5, text[..3], out _)); // too small: refused, not truncated
    }
}
